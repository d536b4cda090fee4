package io.channelstream.diversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channelstream.events.BindingCause;
import io.channelstream.events.CodeBinding;
import io.channelstream.events.CodeLevel;
import io.channelstream.events.CodeSighting;
import io.channelstream.events.CodeTrail;
import io.channelstream.events.SightingVerdict;
import io.channelstream.schemas.AvroSerde;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The code trails store's own format keeps every field of a trail, and refuses what it cannot read. */
class CodeTrailStoreSerdeTest {

    private static final String CASE = "https://qr.brand.test/01/16901234567892/10/B2026-01/21/C1";
    private static final String ITEM_1 = "https://qr.brand.test/01/06901234567895/10/B2026-01/21/I1";
    private static final String ITEM_2 = "https://qr.brand.test/01/06901234567895/10/B2026-01/21/I2";

    private final AvroSerde<CodeTrail> avro = new AvroSerde<>(new InProcessSchemaRegistryClient(), CodeTrail.class, true);
    private final CodeTrailStoreSerde serde = new CodeTrailStoreSerde(avro.deserializer());

    @Test
    void aTrailWithEveryFieldSetComesBackEqual() {
        CodeTrail full = new CodeTrail(CASE,
                List.of(binding("SHP-1", "WH-SOUTH", null, null, null), binding("SHP-2", "DL-广州", "D-GZ", 23.125, 113.361),
                        CodeBinding.newBuilder(binding("T-1", "ST-0002", "D2-7", 31.2, 121.5))
                                .setCause(BindingCause.TRANSFER).setInheritedFrom("PALLET-1").setParentCode(null)
                                .setSku(null).setBatch(null).setShipmentId(null).setFromLocationId(null)
                                .setLevel(CodeLevel.UNKNOWN).setContents(List.of()).build()),
                List.of(sighting("scan-1", "DL-广州", "440106", 19_900L, SightingVerdict.IN_REGION, false),
                        sighting("scan-2", null, "310115", null, SightingVerdict.HELD, true),
                        sighting("scan-3", "ST-9", "110105", -5L, SightingVerdict.OUT_OF_REGION, false)),
                List.of("DIVERSION|" + CASE, "CONSUMER_EVIDENCE|3101"),
                Instant.parse("2026-11-16T14:00:00.007Z"));

        assertThat(roundTrip(full)).isEqualTo(full);
    }

    @Test
    void aTrailWithNothingButItsCodeComesBackEqual() {
        CodeTrail bare = new CodeTrail(ITEM_1, List.of(), List.of(), List.of(), null);

        assertThat(roundTrip(bare)).isEqualTo(bare);
    }

    @Test
    void aCaseTrailIsKeptFarSmallerThanInAvro() {
        // every binding of a case lists the same item codes: the string table writes each once
        CodeTrail caseTrail = new CodeTrail(CASE, List.of(binding("SHP-1", "WH-SOUTH", null, null, null),
                binding("SHP-2", "DL-GZ", "D-GZ", 23.1, 113.3), binding("SHP-3", "DL2-1", "D2-1", 23.2, 113.4)),
                List.of(), List.of(), null);

        int compact = serde.serializer().serialize("changelog", caseTrail).length;
        int wire = avro.serializer().serialize("changelog", caseTrail).length;
        assertThat(compact).isLessThan(wire / 2);
    }

    @Test
    void everyFieldAndSymbolOfTheTrailSchemaIsCarried() {
        // a field or enum symbol added to these records must be added to the store format (as a new format version)
        assertThat(CodeTrail.getClassSchema().getFields()).hasSize(CodeTrailStoreSerde.TRAIL_FIELDS_V1);
        assertThat(CodeBinding.getClassSchema().getFields()).hasSize(CodeTrailStoreSerde.BINDING_FIELDS_V1);
        assertThat(CodeSighting.getClassSchema().getFields()).hasSize(CodeTrailStoreSerde.SIGHTING_FIELDS_V1);
        assertThat(CodeLevel.values()).containsExactly(CodeLevel.PALLET, CodeLevel.CASE, CodeLevel.ITEM,
                CodeLevel.UNKNOWN);
        assertThat(BindingCause.values()).containsExactly(BindingCause.SHIPMENT, BindingCause.TRANSFER,
                BindingCause.OTHER);
        assertThat(SightingVerdict.values()).containsExactly(SightingVerdict.HELD, SightingVerdict.BEFORE_DISPATCH,
                SightingVerdict.IN_REGION, SightingVerdict.OUT_OF_REGION, SightingVerdict.UNJUDGED);
    }

    @Test
    void aTrailAnEarlierBuildKeptInTheAvroWireFormatIsStillRead() {
        CodeTrail kept = new CodeTrail(ITEM_2, List.of(binding("SHP-1", "DL-GZ", "D-GZ", 23.1, 113.3)),
                List.of(sighting("scan-1", "DL-GZ", "440106", null, SightingVerdict.IN_REGION, false)), List.of(), null);
        byte[] wire = avro.serializer().serialize("changelog", kept);

        assertThat(serde.deserializer().deserialize("changelog", wire)).isEqualTo(kept);
    }

    @Test
    void bytesOfAnUnknownFormatOrCutShortAreRefusedNotMisread() {
        CodeTrail trail = new CodeTrail(ITEM_2, List.of(binding("SHP-1", "DL-GZ", "D-GZ", 23.1, 113.3)), List.of(),
                List.of(), null);
        byte[] bytes = serde.serializer().serialize("changelog", trail);
        byte[] unknown = bytes.clone();
        unknown[0] = 7;
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> serde.deserializer().deserialize("changelog", unknown))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format 7");
        assertThatThrownBy(() -> serde.deserializer().deserialize("changelog", cut))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void aTrailIsWrittenByteForByteAsFormatOneAlwaysWasWhetherItsStringsAreSharedOrNot() {
        // the bytes below were written by the first build of format 1 (a HashMap per write): the writer's table may
        // change, the format may not; strings equal by content but distinct objects are one entry of the table
        CodeTrail shared = new CodeTrail(CASE, List.of(binding("SHP-1", "WH-SOUTH", null, null, null),
                binding("SHP-2", "DL-广州", "D-GZ", 23.125, 113.361)),
                List.of(sighting("scan-1", "DL-广州", "440106", 19_900L, SightingVerdict.IN_REGION, false),
                        sighting("scan-2", null, "310115", null, SightingVerdict.HELD, true)),
                List.of("DIVERSION|" + CASE), Instant.parse("2026-11-16T14:00:00.007Z"));
        CodeTrail copied = new CodeTrail(new String(CASE), List.of(binding("SHP-1", "WH-SOUTH", null, null, null),
                CodeBinding.newBuilder(binding("SHP-2", "DL-广州", "D-GZ", 23.125, 113.361))
                        .setCode(new String(CASE)).setContents(List.of(new String(ITEM_1), new String(ITEM_2))).build()),
                shared.getSightings(), List.of("DIVERSION|" + new String(CASE)), shared.getUnboundDeadline());

        byte[] bytes = serde.serializer().serialize("changelog", shared);
        assertThat(java.util.HexFormat.of().formatHex(bytes)).isEqualTo(FORMAT_ONE_GOLDEN);
        assertThat(serde.serializer().serialize("changelog", copied)).isEqualTo(bytes);
    }

    @Test
    void aPalletTrailWithHundredsOfContentsComesBackEqual() {
        // far more strings than the writer's table starts with: it grows, and every index still points right
        List<String> contents = java.util.stream.IntStream.range(0, 700)
                .mapToObj(i -> "https://qr.brand.test/01/06901234567895/10/B2026-01/21/I" + i).toList();
        CodeTrail pallet = new CodeTrail(CASE, List.of(CodeBinding.newBuilder(binding("SHP-1", "DL-GZ", "D-GZ",
                23.1, 113.3)).setContents(contents).build(), CodeBinding.newBuilder(binding("SHP-2", "DL2-1", "D2-1",
                23.2, 113.4)).setContents(contents.subList(0, 350)).build()), List.of(), List.of(), null);

        assertThat(roundTrip(pallet)).isEqualTo(pallet);
        assertThat(roundTrip(aTrailWithOneOfEach())).isEqualTo(aTrailWithOneOfEach());
    }

    private static CodeTrail aTrailWithOneOfEach() {
        return new CodeTrail(ITEM_1, List.of(binding("SHP-9", "DL-GZ", "D-GZ", 23.1, 113.3)),
                List.of(sighting("scan-9", "DL-GZ", "440106", null, SightingVerdict.IN_REGION, false)), List.of(), null);
    }

    private static final String FORMAT_ONE_GOLDEN = "012e7268747470733a2f2f71722e6272616e642e746573742f30312f31363930313233343536373839322f31302f4232"
            + "3032362d30312f32312f43318601444956455253494f4e7c68747470733a2f2f71722e6272616e642e746573742f3031"
            + "2f31363930313233343536373839322f31302f42323032362d30312f32312f43311065762d5348502d3138746f706f6c"
            + "6f67792d646976657273696f6e2d646574656374696f6e5668747470733a2f2f71722e6272616e642e746573742f3030"
            + "2f30303639303132333430303030303030313820534b552d464f524d554c412d393030471042323032362d30310a5348"
            + "502d311457482d43454e5452414c1057482d534f5554480c3434303130367268747470733a2f2f71722e6272616e642e"
            + "746573742f30312f30363930313233343536373839352f31302f42323032362d30312f32312f49317268747470733a2f"
            + "2f71722e6272616e642e746573742f30312f30363930313233343536373839352f31302f42323032362d30312f32312f"
            + "49321065762d5348502d320a5348502d3212444c2de5b9bfe5b79e08442d475a04343408333130310c7363616e2d3114"
            + "53544f52455f53414c450c7363616e2d320c33313031313500018edcc2cabc68020204048080f6b5bc680600010a0c0e"
            + "04000e1012120002140000041618001a8080f6b5bc680600010a0c0e04001c1e121e2204222401403720000000000001"
            + "405c571a9fbe76c9041618000426a4f5bd8dbd682014c037200000000000405c571a9fbe76c9002801f8b602022aa4f5"
            + "bd8dbd68002cc037200000000000405c571a9fbe76c901280000";

    private CodeTrail roundTrip(CodeTrail trail) {
        return serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", trail));
    }

    private static CodeBinding binding(String shipmentId, String toLocationId, String dealerId, Double latitude,
                                       Double longitude) {
        return CodeBinding.newBuilder()
                .setEventId("ev-" + shipmentId)
                .setOccurredAt(Instant.parse("2026-11-16T08:00:00Z"))
                .setSource(DiversionAlerts.SOURCE)
                .setCode(CASE)
                .setLevel(CodeLevel.CASE)
                .setParentCode("https://qr.brand.test/00/006901234000000018")
                .setSku("SKU-FORMULA-900G")
                .setBatch("B2026-01")
                .setUnits(2)
                .setCause(BindingCause.SHIPMENT)
                .setReference(shipmentId)
                .setShipmentId(shipmentId)
                .setFromLocationId("WH-CENTRAL")
                .setToLocationId(toLocationId)
                .setDealerId(dealerId)
                .setBoundRegionCodes(dealerId == null ? List.of("440106") : List.of("44", "3101"))
                .setBoundLatitude(latitude)
                .setBoundLongitude(longitude)
                .setContents(List.of(ITEM_1, ITEM_2))
                .setInheritedFrom(null)
                .build();
    }

    private static CodeSighting sighting(String eventId, String locationId, String regionCode, Long priceFen,
                                         SightingVerdict verdict, boolean approximate) {
        return CodeSighting.newBuilder()
                .setScanEventId(eventId)
                .setOccurredAt(Instant.parse("2026-11-17T09:30:15.250Z"))
                .setPlaceLocationId(locationId)
                .setRegionCode(regionCode)
                .setLatitude(-23.125)
                .setLongitude(113.361)
                .setPositionApproximate(approximate)
                .setScannerRole("STORE_SALE")
                .setUnitPriceFen(priceFen)
                .setVerdict(verdict)
                .build();
    }
}
