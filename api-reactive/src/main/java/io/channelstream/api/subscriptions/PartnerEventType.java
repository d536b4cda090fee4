package io.channelstream.api.subscriptions;

import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;

/** What a partner may subscribe to, and the topic each comes from. */
public enum PartnerEventType {
    ORDERS(Topics.ORDERS),
    SHIPMENTS(Topics.SHIPMENTS),
    STOCK_POSITIONS(Topics.INVENTORY_POSITIONS),
    SCANS(Topics.SCANS),
    ALERTS(Topics.ALERTS);

    private final Topic<?> topic;

    PartnerEventType(Topic<?> topic) {
        this.topic = topic;
    }

    public Topic<?> topic() {
        return topic;
    }
}
