package io.channelstream.api.diversion;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.masterdata.DealerDirectory;
import io.channelstream.api.orders.OrderCheck;
import io.channelstream.api.orders.OrderRequest;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.FieldProblem;
import io.channelstream.diversion.DiversionAlerts;
import io.channelstream.events.Alert;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Intercepts an order whose ship-to region lies outside the regions the ordering dealer is authorized for
 * at the order's time: the order is refused with the reason, and a CROSS_REGION_ORDER alert tells the
 * dealer's regional manager. The refusal never depends on the alert: if the alert cannot be published the
 * order is still refused, and the failure is logged.
 *
 * <p>A dealer not on record is not this rule's to judge (the order endpoint's other checks own that).
 */
@Component
public class CrossRegionOrderCheck implements OrderCheck {

    private static final Logger log = LoggerFactory.getLogger(CrossRegionOrderCheck.class);

    private final DealerDirectory dealers;
    private final RegionTree regions;
    private final EventPublisher publisher;

    public CrossRegionOrderCheck(DealerDirectory dealers, RegionTree regions, EventPublisher publisher) {
        this.dealers = dealers;
        this.regions = regions;
        this.publisher = publisher;
    }

    @Override
    public Mono<List<FieldProblem>> check(Caller caller, OrderRequest order) {
        Instant at = order.occurredAt() != null ? order.occurredAt() : Instant.now();
        String shipTo = order.shipTo().regionCode();
        return dealers.find(order.dealerId())
                .flatMap(dealer -> {
                    List<String> authorized = dealer.authorizedRegionsAt(at).orElse(List.of());
                    if (regions.containedInAny(authorized, shipTo)) {
                        return Mono.just(List.<FieldProblem>of());
                    }
                    String reason = authorized.isEmpty()
                            ? "dealer " + dealer.dealerId() + " has no authorized region in force at " + at
                            : "'" + shipTo + "' lies outside the regions dealer " + dealer.dealerId()
                                    + " is authorized for " + authorized;
                    String orderId = order.orderId() != null ? order.orderId() : "refused-" + UUID.randomUUID();
                    Alert alert = DiversionAlerts.crossRegionOrder(orderId, dealer.dealerId(), shipTo, authorized,
                            dealer.routingRegionAt(at).orElse(shipTo), at,
                            "api:" + caller.role().name().toLowerCase() + ":" + caller.subject(), true);
                    List<FieldProblem> problems = List.of(new FieldProblem("shipTo.regionCode", reason));
                    return publisher.publish(Topics.ALERTS, alert.getConditionKey(), alert)
                            .doOnError(e -> log.error("refused cross-region order {} but could not publish its alert",
                                    orderId, e))
                            .onErrorResume(e -> Mono.empty())
                            .thenReturn(problems);
                })
                .defaultIfEmpty(List.of());
    }
}
