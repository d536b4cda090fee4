package io.channelstream.api.orders;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.FieldProblem;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.ShipTo;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.Topics;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Orders in: checked by every {@link OrderCheck}, then published to the orders topic. */
@RestController
@RequestMapping("/api/orders")
public class OrdersController {

    private final EventPublisher publisher;
    private final AccessPolicy access;
    private final RegionTree regions;
    private final List<OrderCheck> checks;

    public OrdersController(EventPublisher publisher, AccessPolicy access, RegionTree regions,
                            List<OrderCheck> checks) {
        this.publisher = publisher;
        this.access = access;
        this.regions = regions;
        this.checks = checks;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<OrderAccepted> place(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody OrderRequest order) {
        Caller caller = Caller.from(jwt);
        if (!access.canSeeDealer(caller, order.dealerId())) {
            return Mono.error(new ForbiddenException("you may not place orders for dealer " + order.dealerId()));
        }
        if (!regions.exists(order.shipTo().regionCode())) {
            return Mono.error(BadRequestException.unprocessable("shipTo.regionCode",
                    "'" + order.shipTo().regionCode() + "' is not a GB/T 2260 province, city or county code"));
        }
        return Flux.fromIterable(checks)
                .concatMap(check -> check.check(caller, order))
                .collectList()
                .flatMap(found -> {
                    List<FieldProblem> problems = new ArrayList<>();
                    found.forEach(problems::addAll);
                    if (!problems.isEmpty()) {
                        return Mono.error(new BadRequestException(422, problems));
                    }
                    OrderEvent event = toEvent(order, caller);
                    return publisher.publish(Topics.ORDERS, event.getOrderId(), event)
                            .map(published -> new OrderAccepted(event.getOrderId(), event.getEventId(),
                                    published.partition(), published.offset(),
                                    "/api/locations/" + order.fulfillingLocationId() + "/orders/"
                                            + event.getOrderId() + "/reservation"));
                });
    }

    private static OrderEvent toEvent(OrderRequest order, Caller caller) {
        String orderId = order.orderId() != null ? order.orderId() : "O-" + UUID.randomUUID();
        OrderRequest.ShipTo shipTo = order.shipTo();
        return OrderEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(order.occurredAt() != null ? order.occurredAt() : Instant.now())
                .setSource("api:" + caller.role().name().toLowerCase() + ":" + caller.subject())
                .setOrderId(orderId)
                .setPayload(OrderPlaced.newBuilder()
                        .setDealerId(order.dealerId())
                        .setFulfillingLocationId(order.fulfillingLocationId())
                        .setShipTo(ShipTo.newBuilder()
                                .setLocationId(shipTo.locationId())
                                .setRegionCode(shipTo.regionCode())
                                .setLatitude(shipTo.latitude())
                                .setLongitude(shipTo.longitude())
                                .build())
                        .setPromo(order.promo())
                        .setLines(order.lines().stream()
                                .map(line -> OrderLine.newBuilder()
                                        .setSku(line.sku())
                                        .setQuantity(line.quantity())
                                        .setUnitPriceFen(line.unitPriceFen())
                                        .build())
                                .toList())
                        .build())
                .build();
    }

    /**
     * The order was accepted; the inventory then holds its stock first expiry first out, or rejects it
     * with the shortfall per SKU: {@code reservation} is where that answer is read.
     */
    public record OrderAccepted(String orderId, String eventId, int partition, long offset, String reservation) {}
}
