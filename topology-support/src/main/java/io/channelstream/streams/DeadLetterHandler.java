package io.channelstream.streams;

import io.channelstream.schemas.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
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
 *
 * <p>Records of a global store are the exception: the global thread has no task transaction, and
 * Kafka Streams 4.2.1 cannot take dead letters back from it (it casts the global context to a record
 * collector and the global thread dies of a {@code ClassCastException}, taking the whole instance to
 * ERROR). Those dead letters are sent by a producer of this handler instead, acknowledged before the
 * global thread moves on; the global consumer commits no offsets, so a restart reads the record again
 * and may dead-letter it twice, which a dead-letter reader must tolerate anyway.
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

    /** The task id Kafka Streams gives the global thread's context. */
    private static final TaskId GLOBAL_TASK = new TaskId(-1, -1);

    private String topic = DEFAULT_TOPIC;
    private String applicationId = "";
    private Object bootstrapServers;
    private Producer<byte[], byte[]> globalDeadLetters;

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
        bootstrapServers = configs.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        ProducerRecord<byte[], byte[]> deadLetter = deadLetter(context, record.key(), record.value(), exception);
        if (GLOBAL_TASK.equals(context.taskId())) {
            sendFromGlobalThread(deadLetter);
            return DeserializationExceptionHandler.Response.resume(List.of());
        }
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter));
    }

    private synchronized void sendFromGlobalThread(ProducerRecord<byte[], byte[]> deadLetter) {
        if (bootstrapServers == null) {
            log.error("no bootstrap.servers in the streams config: the global store's dead letter of {} is only logged",
                    header(deadLetter, HEADER_SOURCE_TOPIC));
            return;
        }
        if (globalDeadLetters == null) {
            globalDeadLetters = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-global-dead-letters",
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                    new ByteArraySerializer(), new ByteArraySerializer());
        }
        try {
            globalDeadLetters.send(deadLetter).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering a global store record", e);
        } catch (java.util.concurrent.ExecutionException e) {
            // failing here stops the global thread, which is right: the record must not vanish unseen
            throw new IllegalStateException("could not dead-letter a global store record to " + topic, e.getCause());
        }
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
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
    public static String reasonOf(Throwable exception) {
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
