package io.channelstream.api.masterdata;

import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.FieldProblem;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.regions.RegionTree;
import jakarta.validation.Valid;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The channel's master data of record: dealers with their authorized regions over time, products, regional
 * list and floor prices, and planned promotions. HQ writes; every write lands in PostgreSQL and on its
 * compacted topic.
 */
@RestController
@RequestMapping("/api/master")
public class ChannelMasterDataController {

    /** GB/T 2260's code for the whole country. */
    static final String NATIONWIDE = "000000";
    /** Longer plans are a standing price, not a promotion. */
    static final int MAX_PROMOTION_DAYS = 366;

    private final DealerDirectory dealers;
    private final ProductCatalog products;
    private final RegionalPriceTable prices;
    private final PromotionPlan promotions;
    private final AccessPolicy access;
    private final RegionTree regions;

    public ChannelMasterDataController(DealerDirectory dealers, ProductCatalog products, RegionalPriceTable prices,
                                       PromotionPlan promotions, AccessPolicy access, RegionTree regions) {
        this.dealers = dealers;
        this.products = products;
        this.prices = prices;
        this.promotions = promotions;
        this.access = access;
        this.regions = regions;
    }

    @PutMapping("/dealers/{dealerId}")
    public Mono<Dealer> putDealer(@AuthenticationPrincipal Jwt jwt, @PathVariable String dealerId,
                                  @Valid @RequestBody DealerRequest request) {
        Caller caller = hq(jwt);
        List<FieldProblem> problems = new ArrayList<>(keyProblems("dealerId", dealerId));
        for (int i = 0; i < request.authorizedRegionCodes().size(); i++) {
            String code = request.authorizedRegionCodes().get(i);
            if (!regions.exists(code)) {
                problems.add(new FieldProblem("authorizedRegionCodes[" + i + "]", notARegion(code)));
            }
        }
        if (request.regionalManagerRegionCode() != null && !regions.exists(request.regionalManagerRegionCode())) {
            problems.add(new FieldProblem("regionalManagerRegionCode", notARegion(request.regionalManagerRegionCode())));
        }
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(422, problems));
        }
        // the topics carry milliseconds; an effective time must read back exactly as it was announced
        Instant effectiveFrom = (request.effectiveFrom() != null ? request.effectiveFrom() : Instant.now())
                .truncatedTo(ChronoUnit.MILLIS);
        return dealers.upsert(dealerId, request, effectiveFrom, "api:hq:" + caller.subject());
    }

    @GetMapping("/dealers/{dealerId}")
    public Mono<Dealer> getDealer(@AuthenticationPrincipal Jwt jwt, @PathVariable String dealerId) {
        Caller caller = Caller.from(jwt);
        return dealers.find(dealerId)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("unknown dealer '" + dealerId + "'")))
                .flatMap(dealer -> access.canSeeDealerRecord(caller, dealerId, dealer.allRegionCodes())
                        ? Mono.just(dealer)
                        : Mono.error(new ForbiddenException("you may not see dealer " + dealerId)));
    }

    @PutMapping("/products/{sku}")
    public Mono<Product> putProduct(@AuthenticationPrincipal Jwt jwt, @PathVariable String sku,
                                    @Valid @RequestBody ProductRequest request) {
        Caller caller = hq(jwt);
        List<FieldProblem> problems = new ArrayList<>(keyProblems("sku", sku));
        Gtin.problem(request.gtin()).ifPresent(reason -> problems.add(new FieldProblem("gtin", reason)));
        if (request.expiryWarningDays() >= request.shelfLifeDays()) {
            problems.add(new FieldProblem("expiryWarningDays", "must be shorter than shelfLifeDays ("
                    + request.shelfLifeDays() + ")"));
        }
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(400, problems));
        }
        Product product = request.toProduct(sku);
        return products.skuWithGtin(product.gtin())
                .filter(other -> !other.equals(sku))
                .flatMap(other -> Mono.<Product>error(BadRequestException.unprocessable("gtin",
                        "GTIN " + product.gtin() + " already names product " + other)))
                .switchIfEmpty(Mono.defer(() -> products.upsert(product, "api:hq:" + caller.subject())));
    }

    @GetMapping("/products/{sku}")
    public Mono<Product> getProduct(@AuthenticationPrincipal Jwt jwt, @PathVariable String sku) {
        Caller.from(jwt); // any known caller: the catalogue is shared across the channel
        return products.find(sku)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("unknown product '" + sku + "'")));
    }

    @PutMapping("/regional-prices/{sku}/{regionCode}")
    public Mono<RegionalPrice> putPrice(@AuthenticationPrincipal Jwt jwt, @PathVariable String sku,
                                        @PathVariable String regionCode,
                                        @Valid @RequestBody RegionalPriceRequest request) {
        Caller caller = hq(jwt);
        List<FieldProblem> problems = new ArrayList<>(keyProblems("sku", sku));
        if (request.floorPriceFen() > request.listPriceFen()) {
            problems.add(new FieldProblem("floorPriceFen", "must not exceed listPriceFen (" + request.listPriceFen()
                    + ")"));
        }
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(400, problems));
        }
        if (!regions.exists(regionCode)) {
            return Mono.error(BadRequestException.unprocessable("regionCode", notARegion(regionCode)));
        }
        Instant effectiveFrom = (request.effectiveFrom() != null ? request.effectiveFrom() : Instant.now())
                .truncatedTo(ChronoUnit.MILLIS);
        RegionalPrice price = new RegionalPrice(sku, regionCode, effectiveFrom, request.listPriceFen(),
                request.floorPriceFen());
        return products.find(sku)
                .switchIfEmpty(Mono.error(() -> BadRequestException.unprocessable("sku",
                        "unknown product '" + sku + "'; record it first")))
                .flatMap(product -> prices.upsert(price, "api:hq:" + caller.subject()));
    }

    @GetMapping("/regional-prices/{sku}")
    public Mono<List<RegionalPrice>> getPrices(@AuthenticationPrincipal Jwt jwt, @PathVariable String sku) {
        Caller.from(jwt); // prices are shared across the channel
        return prices.pricesOf(sku).collectList();
    }

    /**
     * Records a planned promotion (or replaces one: same SKU and promotionId); the forecast topology reads it
     * from {@code master.promotions} and forecasts its weeks at the series' lift.
     */
    @PostMapping("/promotions")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<Promotion> postPromotion(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody PromotionRequest request) {
        Caller caller = hq(jwt);
        String promotionId = request.promotionId() != null ? request.promotionId()
                : "PROMO-" + UUID.randomUUID().toString().substring(0, 8);
        List<FieldProblem> problems = new ArrayList<>(keyProblems("sku", request.sku()));
        if (request.promotionId() != null) {
            problems.addAll(keyProblems("promotionId", promotionId));
        }
        if (request.lastDay().isBefore(request.firstDay())) {
            problems.add(new FieldProblem("lastDay", "must not be before firstDay (" + request.firstDay() + ")"));
        } else if (request.lastDay().isAfter(request.firstDay().plusDays(MAX_PROMOTION_DAYS - 1))) {
            problems.add(new FieldProblem("lastDay", "a promotion lasts at most " + MAX_PROMOTION_DAYS + " days"));
        }
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(400, problems));
        }
        if (!NATIONWIDE.equals(request.regionCode()) && !regions.exists(request.regionCode())) {
            return Mono.error(BadRequestException.unprocessable("regionCode", notARegion(request.regionCode())
                    + " nor " + NATIONWIDE + " (the whole country)"));
        }
        Promotion promotion = new Promotion(promotionId, request.sku(), request.regionCode(), request.firstDay(),
                request.lastDay(), request.mechanism().name(), request.expectedLift());
        return products.find(request.sku())
                .switchIfEmpty(Mono.error(() -> BadRequestException.unprocessable("sku",
                        "unknown product '" + request.sku() + "'; record it first")))
                .flatMap(product -> promotions.upsert(promotion, "api:hq:" + caller.subject()));
    }

    @GetMapping("/promotions/{sku}")
    public Mono<List<Promotion>> getPromotions(@AuthenticationPrincipal Jwt jwt, @PathVariable String sku) {
        Caller.from(jwt); // the promotion calendar is shared across the channel
        return promotions.promotionsOf(sku).collectList();
    }

    private Caller hq(Jwt jwt) {
        Caller caller = Caller.from(jwt);
        if (!access.canManageMasterData(caller)) {
            throw new ForbiddenException("only HQ may change master data");
        }
        return caller;
    }

    /** Ids become topic keys, where {@code |} separates the parts of a composite key. */
    private static List<FieldProblem> keyProblems(String field, String value) {
        if (value.isBlank() || value.length() > 64 || value.contains("|")) {
            return List.of(new FieldProblem(field, "must be 1-64 characters without '|'"));
        }
        return List.of();
    }

    private static String notARegion(String code) {
        return "'" + code + "' is not a GB/T 2260 province, city or county code";
    }
}
