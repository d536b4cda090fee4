package io.channelstream.api.forecast;

import io.channelstream.api.inventory.InventoryQueryService;
import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.forecast.ForecastConfig;
import io.channelstream.forecast.model.WeekCalendar;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Sales features, order suggestions and bundle partners. A dealer sees its own features and
 * suggestions (HQ all, a partner the dealers its token names). Co-purchase figures are counts over
 * everyone's orders with no dealer in them, so every signed-in role may read them (bundle
 * recommendations are for dealers to order by).
 */
@RestController
@RequestMapping("/api/forecast")
public class ForecastController {

    private static final int MAX_PARTNERS = 50;

    private final AccessPolicy access;
    private final ForecastQueryService queries;
    private final ForecastConfig config;

    public ForecastController(AccessPolicy access, ForecastQueryService queries, ForecastConfig config) {
        this.access = access;
        this.queries = queries;
        this.config = config;
    }

    @GetMapping("/dealers/{dealerId}/skus/{sku}/features")
    public Mono<ForecastViews.FeaturesView> features(@AuthenticationPrincipal Jwt jwt, @PathVariable String dealerId,
                                                     @PathVariable String sku,
                                                     @RequestParam(defaultValue = "false") boolean acceptStale,
                                                     @RequestHeader(name = InventoryQueryService.FORWARDED_HEADER,
                                                             defaultValue = "false") boolean forwarded,
                                                     @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        requireDealer(Caller.from(jwt), dealerId);
        return queries.features(dealerId, sku, acceptStale, forwarded, authorization);
    }

    @GetMapping("/dealers/{dealerId}/skus/{sku}/suggestion")
    public Mono<ForecastViews.SuggestionView> suggestion(@AuthenticationPrincipal Jwt jwt,
                                                         @PathVariable String dealerId, @PathVariable String sku,
                                                         @RequestParam(defaultValue = "false") boolean acceptStale,
                                                         @RequestHeader(name = InventoryQueryService.FORWARDED_HEADER,
                                                                 defaultValue = "false") boolean forwarded,
                                                         @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        requireDealer(Caller.from(jwt), dealerId);
        return queries.suggestion(dealerId, sku, acceptStale, forwarded, authorization);
    }

    /**
     * Top bundle partners of a SKU over the CST days {@code from..to} (default: the configured window
     * ending today, China Standard Time).
     */
    @GetMapping("/skus/{sku}/co-purchase")
    public Mono<ForecastViews.CoPurchaseView> coPurchase(@AuthenticationPrincipal Jwt jwt, @PathVariable String sku,
                                                         @RequestParam(required = false) String from,
                                                         @RequestParam(required = false) String to,
                                                         @RequestParam(defaultValue = "5") int limit,
                                                         @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller.from(jwt);
        if (limit < 1 || limit > MAX_PARTNERS) {
            return Mono.error(BadRequestException.unprocessable("limit", "must lie in 1.." + MAX_PARTNERS));
        }
        LocalDate toDay = day(to, "to", LocalDate.now(config.weeks().zone()));
        LocalDate fromDay = day(from, "from", toDay.minusDays(config.coPurchaseWindowDays() - 1L));
        if (fromDay.isAfter(toDay)) {
            return Mono.error(BadRequestException.unprocessable("from", "must not lie after 'to' (" + toDay + ")"));
        }
        return queries.coPurchase(sku, fromDay, toDay, limit, authorization);
    }

    /** This instance's share of the co-purchase counts; only other instances ask for it. */
    @GetMapping("/skus/{sku}/co-purchase/local")
    public Mono<ForecastViews.PartialTallyView> localCoPurchase(@AuthenticationPrincipal Jwt jwt,
                                                                @PathVariable String sku,
                                                                @RequestParam String from, @RequestParam String to) {
        Caller.from(jwt);
        return queries.localCoPurchase(sku, day(from, "from", null), day(to, "to", null));
    }

    private void requireDealer(Caller caller, String dealerId) {
        if (!access.canSeeDealer(caller, dealerId)) {
            throw new ForbiddenException("you may not see the forecast of dealer " + dealerId);
        }
    }

    private static LocalDate day(String value, String field, LocalDate otherwise) {
        if (value == null || value.isBlank()) {
            if (otherwise == null) {
                throw BadRequestException.unprocessable(field, "is required (yyyy-MM-dd)");
            }
            return otherwise;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw BadRequestException.unprocessable(field, "'" + value + "' is not a date (yyyy-MM-dd, "
                    + WeekCalendar.CHINA_STANDARD_TIME + ")");
        }
    }
}
