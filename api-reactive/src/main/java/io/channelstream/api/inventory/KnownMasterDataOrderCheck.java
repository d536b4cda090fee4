package io.channelstream.api.inventory;

import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.orders.OrderCheck;
import io.channelstream.api.orders.OrderRequest;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.FieldProblem;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An order must name a fulfilling location and SKUs on record: stock can only be reserved where it can
 * be. Each unknown one is named (e.g. {@code lines[1].sku}).
 */
@Component
public class KnownMasterDataOrderCheck implements OrderCheck {

    private final LocationDirectory locations;
    private final StockCommandChecks stock;

    public KnownMasterDataOrderCheck(LocationDirectory locations, StockCommandChecks stock) {
        this.locations = locations;
        this.stock = stock;
    }

    @Override
    public Mono<List<FieldProblem>> check(Caller caller, OrderRequest order) {
        Mono<Optional<FieldProblem>> location = locations.find(order.fulfillingLocationId())
                .map(found -> Optional.<FieldProblem>empty())
                .defaultIfEmpty(Optional.of(new FieldProblem("fulfillingLocationId",
                        "unknown location '" + order.fulfillingLocationId() + "'")));
        Flux<Optional<FieldProblem>> skus = Flux.range(0, order.lines().size())
                .concatMap(i -> stock.unknownSku("lines[" + i + "].sku", order.lines().get(i).sku()));
        return location.concatWith(skus)
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collectList();
    }
}
