package io.channelstream.inventory;

import io.channelstream.events.OrderCancelled;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderPlaced;
import io.channelstream.streams.RejectedRecordException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Orders arrive keyed by order id; their stock lives with the fulfilling location. A placed order
 * names its location; a cancellation does not, so the location is remembered per order and the
 * cancellation is sent after its order.
 */
final class RouteOrderToLocation implements Processor<String, OrderEvent, String, OrderEvent> {

    private ProcessorContext<String, OrderEvent> context;
    private KeyValueStore<String, String> fulfilment;

    @Override
    public void init(ProcessorContext<String, OrderEvent> context) {
        this.context = context;
        this.fulfilment = context.getStateStore(InventoryTopology.ORDER_FULFILMENT_STORE);
    }

    @Override
    public void process(Record<String, OrderEvent> record) {
        OrderEvent order = record.value();
        if (order == null) {
            return;
        }
        String locationId;
        if (order.getPayload() instanceof OrderPlaced placed) {
            locationId = placed.getFulfillingLocationId();
            fulfilment.put(order.getOrderId(), locationId);
        } else if (order.getPayload() instanceof OrderCancelled) {
            locationId = fulfilment.get(order.getOrderId());
            if (locationId == null) {
                throw new RejectedRecordException("orderId", "cancellation of order " + order.getOrderId()
                        + ", which was never placed");
            }
        } else {
            throw new RejectedRecordException("payload", "unknown order fact " + order.getPayload());
        }
        context.forward(record.withKey(locationId));
    }
}
