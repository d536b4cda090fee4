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
