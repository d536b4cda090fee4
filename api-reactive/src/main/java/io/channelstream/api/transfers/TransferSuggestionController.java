package io.channelstream.api.transfers;

import io.channelstream.api.inventory.StockCommandChecks;
import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.FieldProblem;
import java.util.List;
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
 * Where a location short of a SKU could get it from: candidate sources within a radius, ranked, each with its
 * reasons. Asked for a location the caller may see (HQ any, a regional manager inside their regions, a dealer
 * its own); the candidates come from the whole network within the radius.
 */
@RestController
@RequestMapping("/api/locations/{locationId}/transfer-suggestions/{sku}")
public class TransferSuggestionController {

    static final int MAX_LIMIT = 50;

    private final TransferSuggestionService suggestions;
    private final LocationDirectory locations;
    private final StockCommandChecks checks;
    private final TransferSettings settings;

    public TransferSuggestionController(TransferSuggestionService suggestions, LocationDirectory locations,
                                        StockCommandChecks checks, TransferSettings settings) {
        this.suggestions = suggestions;
        this.locations = locations;
        this.checks = checks;
        this.settings = settings;
    }

    @GetMapping
    public Mono<TransferSuggestionService.SuggestionView> suggest(
            @AuthenticationPrincipal Jwt jwt, @PathVariable String locationId, @PathVariable String sku,
            @RequestParam(required = false) Integer quantity,
            @RequestParam(required = false) Double radiusKm,
            @RequestParam(defaultValue = "10") int limit,
            @RequestParam(defaultValue = "false") boolean acceptPartial,
            @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        double radius = radius(radiusKm);
        if (quantity != null && quantity <= 0) {
            throw BadRequestException.invalid("quantity", "must be positive, was " + quantity);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw BadRequestException.invalid("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return visible(jwt, locationId, sku)
                .then(Mono.defer(() -> suggestions.suggest(locationId, sku, quantity, radius, limit, acceptPartial,
                        authorization)));
    }

    /**
     * This instance's share (its active partitions), as the instance serving a suggestion asks for it with
     * {@code X-Channelstream-Forwarded}; never forwarded further.
     */
    @GetMapping("/local")
    public Mono<TransferSuggestionService.ShareView> localShare(
            @AuthenticationPrincipal Jwt jwt, @PathVariable String locationId, @PathVariable String sku,
            @RequestParam(required = false) Double radiusKm) {
        double radius = radius(radiusKm);
        return visible(jwt, locationId, sku).then(Mono.defer(() -> suggestions.localShare(sku, locationId, radius)));
    }

    private Mono<Void> visible(Jwt jwt, String locationId, String sku) {
        return locations.findVisible(Caller.from(jwt), locationId)
                .then(checks.unknownSku("sku", sku))
                .flatMap(problem -> problem.<Mono<Void>>map(p -> Mono.error(new BadRequestException(422, List.of(p))))
                        .orElseGet(Mono::empty));
    }

    private double radius(Double radiusKm) {
        double radius = radiusKm == null ? settings.defaultRadiusKm() : radiusKm;
        if (!(radius > 0) || radius > settings.maxRadiusKm()) {
            throw new BadRequestException(400, List.of(new FieldProblem("radiusKm", "must be above 0 and at most "
                    + settings.maxRadiusKm() + ", was " + radiusKm)));
        }
        return radius;
    }
}
