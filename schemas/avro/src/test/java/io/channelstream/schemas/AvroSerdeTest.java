package io.channelstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.schemas.WireFormatException.Reason;
import io.channelstream.schemas.evolution.SchemaFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    private final SchemaStore store = new SchemaStore();
    private final InProcessSchemaRegistryClient registry = new InProcessSchemaRegistryClient(store);
    private final EventSerdes serdes = new EventSerdes(registry, true);

    static Stream<Arguments> oneEventPerTopic() {
        return SampleEvents.oneForEachTopic().entrySet().stream()
                .map(e -> Arguments.of(e.getKey().name(), e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneEventPerTopic")
    <V extends SpecificRecord> void everyEventRoundTripsThroughItsTopicSerde(String name, Topic<V> topic,
            SpecificRecord event) {
        Serde<V> serde = serdes.value(topic);
        V value = topic.valueType().cast(event);

        byte[] bytes = serde.serializer().serialize(topic.name(), value);
        V read = serde.deserializer().deserialize(topic.name(), bytes);

        assertThat(read).isEqualTo(value);
        assertThat(read.hashCode()).isEqualTo(value.hashCode());
        assertThat(store.subjects()).containsExactly(topic.valueSubject());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneEventPerTopic")
    <V extends SpecificRecord> void everyEventIsWrittenAsAvrosOwnEncoderWritesIt(String name, Topic<V> topic,
            SpecificRecord event) {
        Serde<V> serde = serdes.value(topic);
        V value = topic.valueType().cast(event);

        byte[] first = serde.serializer().serialize(topic.name(), value);
        serdes.value(Topics.SCANS).serializer().serialize(Topics.SCANS.name(), SampleEvents.consumerScan());
        byte[] again = serde.serializer().serialize(topic.name(), value);

        assertThat(Arrays.copyOfRange(first, 5, first.length)).isEqualTo(plainAvro(value.getSchema(), value));
        assertThat(again).as("the reused buffer carries nothing over").isEqualTo(first);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneEventPerTopic")
    <V extends SpecificRecord> void anEventWrittenWithTheReadersOwnSchemaIsReadAsAvrosResolvingReaderReadsIt(
            String name, Topic<V> topic, SpecificRecord event) throws Exception {
        Serde<V> serde = serdes.value(topic);
        V value = topic.valueType().cast(event);
        byte[] bytes = serde.serializer().serialize(topic.name(), value);
        Schema registered = registry.schemaById(ByteBuffer.wrap(bytes, 1, 4).getInt());
        Schema reader = value.getSchema();
        SpecificData model = ListArraysSpecificData.basedOn(SpecificData.getForClass(topic.valueType()));

        Object resolved = new SpecificDatumReader<>(registered, reader, model).read(null,
                DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

        assertThat(SameSchemaReader.ifSameSchema(registered, reader, model)).as("read without resolution").isNotNull();
        assertThat(serde.deserializer().deserialize(topic.name(), bytes)).isEqualTo(resolved).isEqualTo(value);
    }

    @Test
    void aWriteThatFailsLeavesNothingBehindForTheNext() {
        var serializer = serdes.value(Topics.SCANS).serializer();
        ScanRecorded broken = ScanRecorded.newBuilder(SampleEvents.consumerScan()).build();
        broken.put("code", null); // a required string: the writer fails part-way through the record

        assertThatThrownBy(() -> serializer.serialize(Topics.SCANS.name(), broken))
                .isInstanceOf(SerializationException.class);
        ScanRecorded scan = SampleEvents.consumerScan();
        byte[] bytes = serializer.serialize(Topics.SCANS.name(), scan);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(scan.getSchema(), scan));
    }

    @Test
    void everyCataloguedTopicHasASampleEvent() {
        assertThat(SampleEvents.oneForEachTopic().keySet()).containsExactlyElementsOf(Topics.all());
    }

    @Test
    void wireBytesAreMagicByteZeroThenBigEndianSchemaIdThenAvro() {
        ScanRecorded scan = SampleEvents.consumerScan();

        byte[] bytes = serdes.value(Topics.SCANS).serializer().serialize(Topics.SCANS.name(), scan);

        int id = store.latest("scans-value").id();
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(Arrays.copyOfRange(bytes, 1, 5))
                .containsExactly(java.nio.ByteBuffer.allocate(4).putInt(id).array());
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(scan.getSchema(), scan));
    }

    @Test
    void registeredSchemaIsTheContractFileWithoutJavaHints() {
        serdes.value(Topics.SCANS).serializer().serialize(Topics.SCANS.name(), SampleEvents.consumerScan());

        String registered = store.latest(Topics.SCANS.valueSubject()).schemaText();

        assertThat(registered).doesNotContain("avro.java.string");
        assertThat(registered).isEqualTo(SchemaFiles.parse(Path.of("src/main/avro/ScanRecorded.avsc")).toString());
    }

    @Test
    void nullValueIsATombstoneBothWays() {
        Serde<ScanRecorded> serde = serdes.value(Topics.SCANS);

        assertThat(serde.serializer().serialize("scans", null)).isNull();
        assertThat(serde.deserializer().deserialize("scans", null)).isNull();
        assertThat(store.subjects()).isEmpty();
    }

    @Test
    void recordWrittenWithAnOlderSchemaIsReadByTheCurrentReader() throws IOException {
        // v0 of the contract: no price yet, and no INSPECTOR role
        Schema older = new Schema.Parser().parse("""
                {"type": "record", "name": "ScanRecorded", "namespace": "io.channelstream.events", "fields": [
                  {"name": "eventId", "type": "string"},
                  {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "source", "type": "string"},
                  {"name": "code", "type": "string"},
                  {"name": "placeLocationId", "type": ["null", "string"], "default": null},
                  {"name": "regionCode", "type": ["null", "string"], "default": null},
                  {"name": "latitude", "type": ["null", "double"], "default": null},
                  {"name": "longitude", "type": ["null", "double"], "default": null},
                  {"name": "scannerRole", "type": {"type": "enum", "name": "ScannerRole",
                     "symbols": ["CONSUMER", "STORE_SALE", "DEALER_RECEIPT", "WAREHOUSE", "UNKNOWN"],
                     "default": "UNKNOWN"}}
                ]}""");
        int olderId = registry.register("scans-value", older);
        GenericRecord written = new GenericData.Record(older);
        written.put("eventId", "evt-old");
        written.put("occurredAt", SampleEvents.AT.toEpochMilli());
        written.put("source", "scanner-fw-1.0");
        written.put("code", SampleEvents.ITEM_CODE);
        written.put("regionCode", "310115");
        written.put("scannerRole", new GenericData.EnumSymbol(older.getField("scannerRole").schema(),
                "DEALER_RECEIPT"));

        ScanRecorded read = serdes.value(Topics.SCANS).deserializer()
                .deserialize("scans", framed(olderId, plainAvro(older, written)));

        assertThat(read).isEqualTo(ScanRecorded.newBuilder().setEventId("evt-old").setOccurredAt(SampleEvents.AT)
                .setSource("scanner-fw-1.0").setCode(SampleEvents.ITEM_CODE).setRegionCode("310115")
                .setScannerRole(ScannerRole.DEALER_RECEIPT).build());
        assertThat(read.getUnitPriceFen()).isNull();
    }

    @Test
    void roleUnknownToThisReaderIsReadAsTheEnumDefault() throws IOException {
        Schema newer = new Schema.Parser().parse(ScanRecorded.getClassSchema().toString()
                .replace("\"INSPECTOR\",", "\"INSPECTOR\",\"DRONE\","));
        store.setCompatibility("scans-value", CompatibilityLevel.NONE);
        int newerId = registry.register("scans-value", newer);
        GenericRecord written = new GenericData.Record(newer);
        written.put("eventId", "evt-new");
        written.put("occurredAt", SampleEvents.AT.toEpochMilli());
        written.put("source", "drone-fw");
        written.put("code", SampleEvents.ITEM_CODE);
        written.put("scannerRole", new GenericData.EnumSymbol(newer.getField("scannerRole").schema(), "DRONE"));

        ScanRecorded read = serdes.value(Topics.SCANS).deserializer()
                .deserialize("scans", framed(newerId, plainAvro(newer, written)));

        assertThat(read.getScannerRole()).isEqualTo(ScannerRole.UNKNOWN);
    }

    @Test
    void bytesWithoutTheMagicByteAreNotWireFormat() {
        var deserializer = serdes.value(Topics.SCANS).deserializer();
        byte[] json = "{\"code\":\"x\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer.deserialize("scans", json))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("topic 'scans'")
                .satisfies(e -> assertThat(((WireFormatException) e).reason()).isEqualTo(Reason.NOT_WIRE_FORMAT));
        assertThatThrownBy(() -> deserializer.deserialize("scans", new byte[] {0, 0, 1}))
                .isInstanceOfSatisfying(WireFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NOT_WIRE_FORMAT);
                    assertThat(e.schemaId()).isEmpty();
                });
    }

    @Test
    void schemaIdTheRegistryDoesNotKnowIsUnknownSchemaId() {
        byte[] bytes = framed(4242, new byte[] {2, 'x'});

        assertThatThrownBy(() -> serdes.value(Topics.SCANS).deserializer().deserialize("scans", bytes))
                .isInstanceOfSatisfying(WireFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID);
                    assertThat(e.schemaId()).hasValue(4242);
                    assertThat(e).hasMessageContaining("topic 'scans'").hasMessageContaining("4242")
                            .hasMessageContaining("40403");
                });
    }

    @Test
    void truncatedAvroBodyIsUnreadableAvro() {
        byte[] whole = serdes.value(Topics.SCANS).serializer().serialize("scans", SampleEvents.consumerScan());
        byte[] truncated = Arrays.copyOf(whole, 12);

        assertThatThrownBy(() -> serdes.value(Topics.SCANS).deserializer().deserialize("scans", truncated))
                .isInstanceOfSatisfying(WireFormatException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNREADABLE_AVRO);
                    assertThat(e).hasMessageContaining("ScanRecorded");
                });
    }

    @Test
    void producerWithoutAutoRegisterUsesOnlyReleasedSchemas() {
        var lookupOnly = new EventSerdes(registry, false).value(Topics.SCANS).serializer();

        assertThatThrownBy(() -> lookupOnly.serialize("scans", SampleEvents.consumerScan()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("scans-value")
                .hasMessageContaining("40401");
        assertThat(store.subjects()).isEmpty();

        int released = registry.register("scans-value",
                SchemaFiles.parse(Path.of("src/main/avro/ScanRecorded.avsc")));
        byte[] bytes = lookupOnly.serialize("scans", SampleEvents.consumerScan());
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(released);
    }

    @Test
    void serdeUsedForKeysRegistersUnderTheKeySubject() {
        var serde = new AvroSerde<>(registry, ScanRecorded.class, true);
        serde.configure(Map.of(), true);

        serde.serializer().serialize("scans", SampleEvents.consumerScan());

        assertThat(store.subjects()).containsExactly("scans-key");
    }

    @Test
    void eventSerdesHandsOutOneSerdePerTopic() {
        assertThat(serdes.value(Topics.SCANS)).isSameAs(serdes.value(Topics.SCANS));
        assertThat(serdes.value(Topics.ALERTS)).isNotSameAs(serdes.value(Topics.SCANS));
    }

    /** Avro binary without any header; specific records through their own model (it knows Instant, LocalDate). */
    static byte[] plainAvro(Schema schema, Object datum) {
        try {
            var out = new ByteArrayOutputStream();
            var encoder = EncoderFactory.get().binaryEncoder(out, null);
            DatumWriter<Object> writer = datum instanceof SpecificRecordBase record
                    ? new SpecificDatumWriter<>(schema, record.getSpecificData())
                    : new GenericDatumWriter<>(schema);
            writer.write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] framed(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(schemaId).put(avro).array();
    }
}
