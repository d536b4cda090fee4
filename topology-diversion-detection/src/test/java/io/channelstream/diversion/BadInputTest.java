package io.channelstream.diversion;

import static io.channelstream.diversion.DiversionWorld.GUANGZHOU_TIANHE;
import static io.channelstream.diversion.DiversionWorld.MONDAY;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_PUDONG;
import static io.channelstream.diversion.DiversionWorld.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.AlertType;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.DeadLetterHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What nobody can judge goes to the dead-letter topic with the field and the reason; the stream goes on. */
class BadInputTest {

    @TempDir
    Path stateDir;

    private DiversionWorld world;

    @BeforeEach
    void guangdongDealer() {
        world = new DiversionWorld(DiversionConfig.defaults(), stateDir);
        world.dealer("D-GZ", Instant.parse("2026-01-01T00:00:00Z"), "44")
                .location("DL-GZ", GUANGZHOU_TIANHE, 23.125, 113.361, "D-GZ");
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aScanWithAnUnreadableCodeIsDeadLetteredAndTheNextScanIsJudged() {
        String badCheckDigit = "https://qr.brand.test/01/06901234567890/21/X1";
        world.scan(ScanRecorded.newBuilder(DiversionWorld.baseScan(badCheckDigit, ScannerRole.STORE_SALE, MONDAY))
                .setRegionCode(SHANGHAI_PUDONG).build());
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(1)));

        TestRecord<String, byte[]> deadLetter = single(world.deadLetters());
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_FIELD)).isEqualTo("code");
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_REASON))
                .isEqualTo("REJECTED: unreadable trace code: GTIN (AI 01) '06901234567890' has a wrong check digit");
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_SOURCE_TOPIC)).isEqualTo(Topics.SCANS.name());
        assertThat(world.raised(AlertType.DIVERSION)).hasSize(1);
    }

    @Test
    void aScanInARegionThatDoesNotExistIsDeadLettered() {
        world.scan(world.itemCode(), ScannerRole.CONSUMER, "999999", MONDAY);

        TestRecord<String, byte[]> deadLetter = single(world.deadLetters());
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_FIELD)).isEqualTo("regionCode");
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_REASON))
                .isEqualTo("REJECTED: '999999' is not a GB/T 2260 province, city or county code");
    }

    @Test
    void aScanWithoutAPlaceIsDeadLettered() {
        world.scan(DiversionWorld.baseScan(world.itemCode(), ScannerRole.CONSUMER, MONDAY));
        world.scan(ScanRecorded.newBuilder(DiversionWorld.baseScan(world.itemCode(), ScannerRole.CONSUMER, MONDAY))
                .setPlaceLocationId("NOWHERE").build());

        List<TestRecord<String, byte[]>> deadLetters = world.deadLetters();
        assertThat(deadLetters).extracting(record -> header(record, DeadLetterHandler.HEADER_FIELD))
                .containsExactly("regionCode", "placeLocationId");
        assertThat(header(deadLetters.get(0), DeadLetterHandler.HEADER_REASON))
                .isEqualTo("REJECTED: scan without a place: neither regionCode nor placeLocationId is given");
    }

    @Test
    void aShipmentWithOneUnreadableCodeIsRefusedWholeAndBindsNothing() {
        String good = world.itemCode();
        world.shipItems("SHP-BAD", "DL-GZ", "D-GZ", MONDAY, "CASE-1", good, "not a code");

        TestRecord<String, byte[]> deadLetter = single(world.deadLetters());
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_FIELD)).isEqualTo("looseCases[0].itemCodes[1]");
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_SOURCE_TOPIC)).isEqualTo(Topics.SHIPMENTS.name());
        assertThat(world.trail(good)).isNull();
        assertThat(world.trail("CASE-1")).isNull();
    }

    /** Deserialization failures are shown against the real broker (api-reactive DeadLetterTest); here: no stop. */
    @Test
    void bytesThatAreNotAScanDoNotStopTheStream() {
        world.pipeRaw(Topics.SCANS.name(), "x", "not avro".getBytes(StandardCharsets.UTF_8), MONDAY);
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(1)));

        assertThat(world.raised(AlertType.DIVERSION)).hasSize(1);
    }

    private static TestRecord<String, byte[]> single(List<TestRecord<String, byte[]>> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }
}
