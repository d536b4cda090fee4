package io.channelstream.api.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tells every API instance that the inbox changed, over Redis pub/sub. The message is only the change
 * number: each instance then reads the new rows from the inbox itself, in change order. So the inbox,
 * not Redis, is the record: a lost message delays a push until the next one (or the instance's safety
 * poll), it never loses or reorders an alert. Only the instance whose consumer owns an alert's
 * partition reads it from Kafka; the others never read that partition.
 */
@Component
public class AlertFanOut {

    private static final Logger log = LoggerFactory.getLogger(AlertFanOut.class);

    private final ReactiveStringRedisTemplate redis;
    private final String channel;

    public AlertFanOut(ReactiveStringRedisTemplate redis, AlertSettings settings) {
        this.redis = redis;
        this.channel = settings.fanOutChannel();
    }

    /** Announces that changes up to {@code changeSeq} are committed. Never fails the caller. */
    public Mono<Void> announce(long changeSeq) {
        return redis.convertAndSend(channel, Long.toString(changeSeq))
                .doOnError(e -> log.warn("could not announce inbox change {} on Redis ({}); instances will "
                        + "pick it up on their next safety poll", changeSeq, e.toString()))
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    /** Change numbers announced by any instance, this one included. */
    public Flux<Long> announcements() {
        return redis.listenToChannel(channel).map(message -> Long.parseLong(message.getMessage()));
    }
}
