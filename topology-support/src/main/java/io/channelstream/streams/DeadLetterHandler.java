package io.channelstream.streams;

import io.channelstream.schemas.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that a topology cannot read, or refuses to apply, to the dead-letter topic and
 * lets the task carry on. The dead letter is returned to Kafka Streams (KIP-1034) instead of being
 * sent by a producer of our own, so under exactly-once it is written in the same transaction as the
 * task's other output and offsets: it is neither lost nor duplicated when the task fails over.
 *
 * <p>The original key and value bytes are kept as they were; the headers say why and where from.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    public static final String TOPIC_CONFIG = "channelstream.dead-letter.topic";
    public static final String DEFAULT_TOPIC = "dead-letters";

    public static final String HEADER_REASON = "cs.dlq.reason";
    public static final String HEADER_FIELD = "cs.dlq.field";
    public static final String HEADER_MESSAGE = "cs.dlq.message";
    public static final String HEADER_EXCEPTION = "cs.dlq.exception";
    public static final String HEADER_SOURCE_TOPIC = "cs.dlq.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "cs.dlq.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "cs.dlq.source.offset";
    public static final String HEADER_PROCESSOR = "cs.dlq.processor";
    public static final String HEADER_APPLICATION = "cs.dlq.application";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String topic = DEFAULT_TOPIC;
    private String applicationId = "";

    @Override
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(TOPIC_CONFIG);
        if (configured != null) {
            topic = configured.toString();
        }
        Object app = configs.get("application.id");
        if (app != null) {
            applicationId = app.toString();
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        return DeserializationExceptionHandler.Response.resume(
                List.of(deadLetter(context, record.key(), record.value(), exception)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return ProcessingExceptionHandler.Response.resume(
                List.of(deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), exception)));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(
            ErrorHandlerContext context, byte[] key, byte[] value, Exception exception) {
        String reason = reasonOf(exception);
        log.warn("dead-lettering {}-{}@{}: {} ({})", context.topic(), context.partition(), context.offset(),
                reason, exception.getMessage());
        Headers headers = new RecordHeaders();
        put(headers, HEADER_REASON, reason);
        if (exception instanceof RejectedRecordException rejected) {
            put(headers, HEADER_FIELD, rejected.field());
        }
        put(headers, HEADER_MESSAGE, String.valueOf(exception.getMessage()));
        put(headers, HEADER_EXCEPTION, exception.getClass().getName());
        put(headers, HEADER_SOURCE_TOPIC, context.topic());
        put(headers, HEADER_SOURCE_PARTITION, Integer.toString(context.partition()));
        put(headers, HEADER_SOURCE_OFFSET, Long.toString(context.offset()));
        put(headers, HEADER_PROCESSOR, String.valueOf(context.processorNodeId()));
        put(headers, HEADER_APPLICATION, applicationId);
        return new ProducerRecord<>(topic, null, context.timestamp(), key, value, headers);
    }

    /** A short machine-readable reason; the message header carries the human detail. */
    static String reasonOf(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof WireFormatException wire) {
                return wire.reason().name();
            }
            if (cause instanceof RejectedRecordException rejected) {
                return "REJECTED: " + rejected.reason();
            }
        }
        return "PROCESSING_ERROR: " + exception.getClass().getSimpleName();
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
