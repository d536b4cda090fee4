package io.channelstream.api.inventory;

import io.channelstream.api.masterdata.ProductCatalog;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.FieldProblem;
import io.channelstream.inventory.NetworkReads;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks a stock command can be answered at the door: the SKU is on record, and goods do not leave a
 * batch under a recall lock. The lock check reads this instance's copy of the global lock store; a
 * movement that slips past it (the lock arrived moments after this check, or the inventory topology
 * does not run here) is still refused by the topology, which dead-letters it with the reason.
 */
@Component
public class StockCommandChecks {

    private static final Duration KNOWN_SKU_TTL = Duration.ofSeconds(30);

    private final ProductCatalog products;
    private final TopologyRunner runner;
    // SKUs found on record lately; an unknown SKU is never cached, so registering it takes effect at once
    private final Map<String, Instant> knownSkus = new ConcurrentHashMap<>();

    public StockCommandChecks(ProductCatalog products, TopologyRunner runner) {
        this.products = products;
        this.runner = runner;
    }

    /** The problem with {@code sku} in {@code field}, if it is not a product on record. */
    public Mono<Optional<FieldProblem>> unknownSku(String field, String sku) {
        Instant known = knownSkus.get(sku);
        if (known != null && known.plus(KNOWN_SKU_TTL).isAfter(Instant.now())) {
            return Mono.just(Optional.empty());
        }
        return products.find(sku)
                .doOnNext(product -> knownSkus.put(sku, Instant.now()))
                .map(product -> Optional.<FieldProblem>empty())
                .defaultIfEmpty(Optional.of(new FieldProblem(field, "unknown SKU '" + sku + "'")));
    }

    /** Refuses (422, field sku) an unknown SKU and (409, field batch) stock leaving a locked batch. */
    public Mono<Void> checkMovement(StockMovementRequest request) {
        return unknownSku("sku", request.sku()).flatMap(problem -> {
            if (problem.isPresent()) {
                return Mono.error(new BadRequestException(422, List.of(problem.get())));
            }
            Optional<String> lock = takesStockOut(request) ? lockReason(request.sku(), request.batch())
                    : Optional.empty();
            return lock.<Mono<Void>>map(reason -> Mono.error(new BadRequestException(409, List.of(new FieldProblem(
                            "batch", "batch " + request.batch() + " of " + request.sku() + " is locked for recall: "
                                    + reason + "; it may not leave stock (" + request.kind() + ")")))))
                    .orElseGet(Mono::empty);
        });
    }

    private Optional<String> lockReason(String sku, String batch) {
        return runner.streams(TopologyRunner.INVENTORY)
                .flatMap(streams -> {
                    try {
                        return new NetworkReads(streams).lockReason(sku, batch);
                    } catch (RuntimeException notQueryableYet) {
                        // starting up or rebalancing: the topology makes the same check on its own
                        return Optional.empty();
                    }
                });
    }

    private static boolean takesStockOut(StockMovementRequest request) {
        return switch (request.kind()) {
            case SALE, TRANSFER_OUT, SHIPMENT_OUT -> true;
            case ADJUSTMENT -> request.quantity() != null && request.quantity() < 0;
            default -> false;
        };
    }
}
