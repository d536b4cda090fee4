package io.channelstream.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.TransferApproved;
import io.channelstream.events.TransferDispatched;
import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferLine;
import io.channelstream.events.TransferReceived;
import io.channelstream.events.TransferRejected;
import io.channelstream.events.TransferRequested;
import io.channelstream.events.TransferState;
import io.channelstream.events.TransferStatus;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.DeadLetterHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer's stock moves with its steps, once: nothing on request, approval or rejection; out of the
 * source at dispatch (all lines or none: a locked batch or a shortfall refuses it); into the destination at
 * receipt, same batch and dates. A step the state does not allow moves nothing and is dead-lettered.
 */
class TransferWorkflowTest {

    private static final Instant DEC_1 = Instant.parse("2026-12-01T02:00:00Z");
    private static final LocalDate EXPIRY = LocalDate.parse("2027-06-30");
    private static final String SOURCE = "DL-GZ";
    private static final String DESTINATION = "DL-SH";
    private static final String SKU = "FORMULA";

    @TempDir
    Path stateDir;

    private InventoryWorld world;
    private TestInputTopic<String, TransferEvent> transfers;
    private TestOutputTopic<String, byte[]> deadLetters;
    private TestOutputTopic<String, StockMovementRecorded> movementsOut;
    private KeyValueStore<String, TransferState> states;
    private Instant clock = DEC_1;

    @BeforeEach
    void twoDepotsAndStockAtTheSource() {
        world = new InventoryWorld(stateDir, DEC_1);
        transfers = world.driver.createInputTopic(Topics.TRANSFERS.name(), Serdes.String().serializer(),
                world.serdes.value(Topics.TRANSFERS).serializer());
        deadLetters = world.driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
                new ByteArrayDeserializer());
        movementsOut = world.driver.createOutputTopic(Topics.STOCK_MOVEMENTS.name(), Serdes.String().deserializer(),
                world.serdes.value(Topics.STOCK_MOVEMENTS).deserializer());
        states = world.driver.getKeyValueStore(InventoryTopology.TRANSFERS_STORE);
        world.location(SOURCE, "440106", null);
        world.location(DESTINATION, "310115", null);
        world.receive(SOURCE, SKU, "B1", 100, EXPIRY, DEC_1);
        world.receive(SOURCE, SKU, "B2", 10, EXPIRY.plusMonths(3), DEC_1);
        movementsOut.readRecordsToList(); // the receipts piped in above
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void stockLeavesTheSourceAtDispatchAndEntersTheDestinationAtReceiptWithItsBatch() {
        request("T-1", line(SKU, null, 30));
        approve("T-1");
        assertThat(onHand(SOURCE, "B1")).isEqualTo(100); // approval moves nothing
        assertThat(status("T-1")).isEqualTo(TransferStatus.APPROVED);

        dispatch("T-1", line(SKU, "B1", 30));
        assertThat(onHand(SOURCE, "B1")).isEqualTo(70);
        assertThat(world.position(DESTINATION, SKU, "B1")).isNull(); // in transit: at neither place
        TransferState dispatched = state("T-1");
        assertThat(dispatched.getStatus()).isEqualTo(TransferStatus.DISPATCHED);
        assertThat(dispatched.getLogisticsOrderId()).isEqualTo("LO-T-1");
        assertThat(dispatched.getDispatchedLines()).extracting("sku", "batch", "quantity", "expiryDate")
                .containsExactly(tuple(SKU, "B1", 30, EXPIRY));

        receive("T-1");
        InventoryPosition arrived = world.position(DESTINATION, SKU, "B1");
        assertThat(arrived.getOnHand()).isEqualTo(30);
        assertThat(arrived.getExpiryDate()).isEqualTo(EXPIRY); // the batch keeps its dates
        assertThat(onHand(SOURCE, "B1")).isEqualTo(70);
        assertThat(status("T-1")).isEqualTo(TransferStatus.RECEIVED);
        // the destination's units came through the topology's own topic: nothing was written to stock-movements,
        // which a second application (a reprocessing) would read besides deriving the receipt again
        assertThat(movementsOut.isEmpty()).isTrue();
        assertThat(world.positions.readValuesToList()).filteredOn(p -> p.getLocationId().equals(DESTINATION))
                .extracting(InventoryPosition::getLastMovementEventId).last().asString().startsWith("transfer-in:");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aRejectedTransferMovesNothingAndCannotBeDispatched() {
        request("T-2", line(SKU, "B1", 30));
        reject("T-2", "the destination is over-stocked");
        assertThat(state("T-2").getRejectionReason()).isEqualTo("the destination is over-stocked");

        dispatch("T-2", line(SKU, "B1", 30));
        assertThat(onHand(SOURCE, "B1")).isEqualTo(100);
        assertRefused("status", "is REJECTED: it can be dispatched only when APPROVED");
        assertThat(state("T-2").getRefusals()).extracting("step", "field").containsExactly(tuple("DISPATCH", "status"));

        approve("T-2");
        assertRefused("status", "is REJECTED: it can be approved only when REQUESTED");
        assertThat(status("T-2")).isEqualTo(TransferStatus.REJECTED);
    }

    @Test
    void aTransferReceivedTwiceMovesItsUnitsOnce() {
        request("T-3", line(SKU, "B1", 40));
        approve("T-3");
        dispatch("T-3", line(SKU, "B1", 40));
        TransferEvent receipt = event("T-3", TransferReceived.newBuilder().setReceivedBy("store-manager")
                .setLines(List.of()).build());
        transfers.pipeInput("T-3", receipt, clock);
        transfers.pipeInput("T-3", receipt, clock); // the same event again: a producer's retry, skipped
        receive("T-3");                             // a second receipt: refused
        assertThat(world.position(DESTINATION, SKU, "B1").getOnHand()).isEqualTo(40);
        assertRefused("status", "was already received");
        assertThat(deadLetters.isEmpty()).isTrue(); // the replay left no dead letter
        assertThat(state("T-3").getAppliedEventIds()).hasSize(4);
    }

    @Test
    void aDispatchFromALockedBatchIsRefusedAndMovesNothing() {
        request("T-4", line(SKU, null, 20));
        approve("T-4");
        world.lock(SKU, "B1", clock);
        dispatch("T-4", line(SKU, "B2", 5), line(SKU, "B1", 15));
        assertThat(onHand(SOURCE, "B1")).isEqualTo(100);
        assertThat(onHand(SOURCE, "B2")).isEqualTo(10); // the other line did not leave either
        assertRefused("payload.lines[1].batch", "locked for recall");
        assertThat(status("T-4")).isEqualTo(TransferStatus.APPROVED); // still dispatchable from another batch

        dispatch("T-4", line(SKU, "B2", 5));
        assertThat(onHand(SOURCE, "B2")).isEqualTo(5);
        assertThat(status("T-4")).isEqualTo(TransferStatus.DISPATCHED);
    }

    @Test
    void aDispatchShortOfAvailableStockIsRefusedWithTheShortfall() {
        world.placeOrder("O-1", SOURCE, clock, InventoryWorld.line(SKU, 95)); // holds 95 of B1, first to expire
        request("T-5", line(SKU, "B1", 20));
        approve("T-5");
        dispatch("T-5", line(SKU, "B1", 20));
        assertThat(onHand(SOURCE, "B1")).isEqualTo(100);
        assertRefused("payload.lines[0].quantity", "20 of FORMULA batch B1 wanted, 5 available at DL-GZ, short by 15");
        assertThat(state("T-5").getRefusals()).singleElement()
                .satisfies(refusal -> assertThat(refusal.getReason()).contains("short by 15"));
    }

    @Test
    void stepsOutOfOrderAreRefused() {
        request("T-6", line(SKU, "B1", 10));
        dispatch("T-6", line(SKU, "B1", 10));
        assertRefused("status", "is REQUESTED: it can be dispatched only when APPROVED");
        receive("T-6");
        assertRefused("status", "it can be received only when DISPATCHED");
        approve("T-6");
        dispatch("T-6", line(SKU, "B2", 10));
        assertRefused("payload.lines[0].batch", "was not requested");
        dispatch("T-6", line(SKU, "B1", 11));
        assertRefused("payload.lines", "more than the 10 requested");
        assertThat(onHand(SOURCE, "B1")).isEqualTo(100);

        // a step for a transfer never requested cannot be routed to any stock
        transfers.pipeInput("T-NONE", event("T-NONE", TransferApproved.newBuilder().setApprovedBy("hq").build()), clock);
        assertRefused("transferId", "no request seen for transfer T-NONE");
    }

    @Test
    void aPartialReceiptEntersWhatArrivedAndTheRestIsLostInTransit() {
        request("T-7", line(SKU, null, 30));
        approve("T-7");
        dispatch("T-7", line(SKU, "B1", 25), line(SKU, "B2", 5));
        receive("T-7", line(SKU, "B1", 24));
        assertThat(world.position(DESTINATION, SKU, "B1").getOnHand()).isEqualTo(24);
        assertThat(world.position(DESTINATION, SKU, "B2")).isNull();
        assertThat(state("T-7").getReceivedLines()).extracting("batch", "quantity").containsExactly(tuple("B1", 24));
    }

    @Test
    void salesAtALocationKeepADecayedDailyRate() {
        for (int day = 0; day < 28; day++) {
            world.move(SOURCE, SKU, "B1", MovementKind.SALE, 2, null, DEC_1.plusSeconds(86_400L * day));
        }
        KeyValueStore<String, SaleRate> rates = world.driver.getKeyValueStore(InventoryTopology.SALE_RATES_STORE);
        SaleRate rate = rates.get(InventoryTopology.saleRateKey(SKU, SOURCE));
        assertThat(rate.unitsPerDay(DEC_1.plusSeconds(86_400L * 28).toEpochMilli())).isBetween(1.8, 2.2);
        assertThat(rates.get(InventoryTopology.saleRateKey(SKU, DESTINATION))).isNull();
    }

    // ------------------------------------------------------------------ steps

    private void request(String transferId, TransferLine... lines) {
        transfers.pipeInput(transferId, event(transferId, TransferRequested.newBuilder().setFromLocationId(SOURCE)
                .setToLocationId(DESTINATION).setLines(List.of(lines)).setRequestedBy("dealer-sh").build()), tick());
    }

    private void approve(String transferId) {
        transfers.pipeInput(transferId, event(transferId, TransferApproved.newBuilder().setApprovedBy("hq").build()),
                tick());
    }

    private void reject(String transferId, String reason) {
        transfers.pipeInput(transferId, event(transferId, TransferRejected.newBuilder().setRejectedBy("hq")
                .setReason(reason).build()), tick());
    }

    private void dispatch(String transferId, TransferLine... lines) {
        transfers.pipeInput(transferId, event(transferId, TransferDispatched.newBuilder()
                .setLogisticsOrderId("LO-" + transferId).setLines(List.of(lines)).setCodes(List.of()).build()), tick());
    }

    private void receive(String transferId, TransferLine... lines) {
        transfers.pipeInput(transferId, event(transferId, TransferReceived.newBuilder().setReceivedBy("store-manager")
                .setLines(List.of(lines)).build()), tick());
    }

    private TransferEvent event(String transferId, Object payload) {
        return TransferEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(clock)
                .setSource("test").setTransferId(transferId).setPayload(payload).build();
    }

    private Instant tick() {
        clock = clock.plusSeconds(60);
        return clock;
    }

    private static TransferLine line(String sku, String batch, int units) {
        return TransferLine.newBuilder().setSku(sku).setBatch(batch).setQuantity(units).build();
    }

    private long onHand(String locationId, String batch) {
        return world.position(locationId, SKU, batch).getOnHand();
    }

    private TransferState state(String transferId) {
        return states.get(InventoryTopology.transferKey(SOURCE, transferId));
    }

    private TransferStatus status(String transferId) {
        return state(transferId).getStatus();
    }

    private void assertRefused(String field, String reasonPart) {
        TestRecord<String, byte[]> deadLetter = deadLetters.readRecord();
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_FIELD)).isEqualTo(field);
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_REASON)).contains(reasonPart);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
