package io.channelstream.api.inventory;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.FieldProblem;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.Topics;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Stock facts in, live stock out. */
@RestController
@RequestMapping("/api")
public class StockController {

    private final LocationDirectory locations;
    private final AccessPolicy access;
    private final EventPublisher publisher;
    private final InventoryQueryService queries;
    private final StockCommandChecks checks;

    public StockController(LocationDirectory locations, AccessPolicy access, EventPublisher publisher,
                           InventoryQueryService queries, StockCommandChecks checks) {
        this.locations = locations;
        this.access = access;
        this.publisher = publisher;
        this.queries = queries;
        this.checks = checks;
    }

    /** Accepts a stock movement: 202 once the broker has it; the position follows within moments. */
    @PostMapping("/stock-movements")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<MovementAccepted> recordMovement(@AuthenticationPrincipal Jwt jwt,
                                                 @Valid @RequestBody StockMovementRequest request) {
        Caller caller = Caller.from(jwt);
        List<FieldProblem> problems = request.domainProblems();
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(400, problems));
        }
        return locations.find(request.locationId())
                .switchIfEmpty(Mono.error(() -> BadRequestException.unprocessable("locationId",
                        "unknown location '" + request.locationId() + "'")))
                .flatMap(location -> {
                    if (!access.canRecordStockAt(caller, location)) {
                        return Mono.error(new ForbiddenException("you may not record stock at location "
                                + location.locationId()));
                    }
                    StockMovementRecorded event = toEvent(request, caller);
                    return checks.checkMovement(request)
                            .then(Mono.defer(() -> publisher.publish(Topics.STOCK_MOVEMENTS, location.locationId(),
                                    event)))
                            .map(published -> new MovementAccepted(event.getEventId(), published.topic(),
                                    published.partition(), published.offset()));
                });
    }

    /** Live stock of one SKU at one location, summed over its batches, earliest expiry first. */
    @GetMapping("/locations/{locationId}/stock/{sku}")
    public Mono<StockLevelView> stockLevel(@AuthenticationPrincipal Jwt jwt,
                                           @PathVariable String locationId,
                                           @PathVariable String sku,
                                           @RequestParam(defaultValue = "false") boolean acceptStale,
                                           @RequestHeader(name = InventoryQueryService.FORWARDED_HEADER,
                                                   defaultValue = "false") boolean forwarded,
                                           @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = Caller.from(jwt);
        return locations.findVisible(caller, locationId)
                .flatMap(location -> queries.stockLevel(location.locationId(), sku, acceptStale, forwarded,
                        authorization));
    }

    /**
     * What the inventory did with an order at its fulfilling location: held (with batches),
     * rejected with the shortfall per SKU, released or consumed. Visible to whoever may see the
     * location, and to the dealer that placed the order.
     */
    @GetMapping("/locations/{locationId}/orders/{orderId}/reservation")
    public Mono<ReservationView> orderReservation(@AuthenticationPrincipal Jwt jwt,
                                                  @PathVariable String locationId,
                                                  @PathVariable String orderId,
                                                  @RequestHeader(name = InventoryQueryService.FORWARDED_HEADER,
                                                          defaultValue = "false") boolean forwarded,
                                                  @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = Caller.from(jwt);
        return locations.find(locationId)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("unknown location '" + locationId + "'")))
                .flatMap(location -> queries.orderReservation(locationId, orderId, forwarded, authorization)
                        // PENDING reveals nothing about anyone's order, so any caller may be told it
                        .flatMap(view -> access.canSeeLocation(caller, location) || view.dealerId() == null
                                || access.canSeeDealer(caller, view.dealerId())
                                ? Mono.just(view)
                                : Mono.error(new ForbiddenException("you may not see order " + orderId))));
    }

    private static StockMovementRecorded toEvent(StockMovementRequest request, Caller caller) {
        return StockMovementRecorded.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(request.occurredAt() != null ? request.occurredAt() : Instant.now())
                .setSource("api:" + caller.role().name().toLowerCase() + ":" + caller.subject())
                .setLocationId(request.locationId())
                .setSku(request.sku())
                .setBatch(request.batch())
                .setKind(request.kind())
                .setQuantity(request.quantity())
                .setProductionDate(request.productionDate())
                .setExpiryDate(request.expiryDate())
                .setReference(request.reference())
                .setUnitPriceFen(request.unitPriceFen())
                .build();
    }

    /** Where the accepted movement landed; {@code eventId} identifies it in every later output. */
    public record MovementAccepted(String eventId, String topic, int partition, long offset) {}
}
