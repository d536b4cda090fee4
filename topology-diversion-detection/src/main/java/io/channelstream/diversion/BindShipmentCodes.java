package io.channelstream.diversion;

import io.channelstream.events.BindingCause;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.CodeBinding;
import io.channelstream.events.CodeLevel;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.Pallet;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.regions.RegionTree;
import io.channelstream.streams.RejectedRecordException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A dispatched shipment binds every code it carries (each pallet, the cases on it, the items in them, and
 * loose cases) to the receiving location and its dealer, one record per code keyed by the code, so each
 * lands on the partition where that code's scans are judged. A shipment with one unreadable code is
 * refused whole, before anything is bound: half a shipment bound is worse than none plus a dead letter.
 */
final class BindShipmentCodes implements Processor<String, ShipmentDispatched, String, CodeBinding> {

    /** Header of a shipment's code binding: the shipments partition it was read from, a 4-byte big-endian int. */
    static final String SOURCE_PARTITION_HEADER = "cs.shipments-partition";

    private final RegionTree regions;
    private ProcessorContext<String, CodeBinding> context;
    private MasterData masterData;

    BindShipmentCodes(RegionTree regions) {
        this.regions = regions;
    }

    @Override
    public void init(ProcessorContext<String, CodeBinding> context) {
        this.context = context;
        this.masterData = new MasterData(context, regions);
    }

    @Override
    public void process(Record<String, ShipmentDispatched> record) {
        ShipmentDispatched shipment = record.value();
        if (shipment == null) {
            return;
        }
        if (shipment.getToLocationId() == null || shipment.getToLocationId().isBlank()) {
            throw new RejectedRecordException("toLocationId", "must not be blank");
        }
        Destination destination = Destination.of(shipment.getToLocationId(), shipment.getToDealerId(),
                shipment.getOccurredAt(), masterData);
        List<CodeBinding> bindings = new ArrayList<>();
        for (int p = 0; p < shipment.getPallets().size(); p++) {
            Pallet pallet = shipment.getPallets().get(p);
            String palletCode = readable(pallet.getPalletCode(), "pallets[" + p + "].palletCode");
            List<CodeBinding> inside = new ArrayList<>();
            for (int c = 0; c < pallet.getCases().size(); c++) {
                inside.addAll(bindCase(shipment, destination, pallet.getCases().get(c), palletCode,
                        "pallets[" + p + "].cases[" + c + "]"));
            }
            int units = inside.stream().filter(b -> b.getLevel() == CodeLevel.CASE).mapToInt(CodeBinding::getUnits).sum();
            List<String> contents = inside.stream().map(CodeBinding::getCode).toList();
            String sku = sameOrNull(inside.stream().filter(b -> b.getLevel() == CodeLevel.CASE)
                    .map(CodeBinding::getSku).toList());
            String batch = sameOrNull(inside.stream().filter(b -> b.getLevel() == CodeLevel.CASE)
                    .map(CodeBinding::getBatch).toList());
            bindings.add(binding(shipment, destination, palletCode, CodeLevel.PALLET, null, sku, batch,
                    Math.max(units, 1), contents));
            bindings.addAll(inside);
        }
        for (int c = 0; c < shipment.getLooseCases().size(); c++) {
            bindings.addAll(bindCase(shipment, destination, shipment.getLooseCases().get(c), null,
                    "looseCases[" + c + "]"));
        }
        // which shipments partition the bindings come from: each such feed reaches a code task in order, and the
        // task's watermark is the least of the feeds' (several shipments tasks write into one repartition partition,
        // and one of them may run far ahead of another)
        Headers headers = new RecordHeaders(record.headers().toArray());
        context.recordMetadata().ifPresent(source -> headers.add(SOURCE_PARTITION_HEADER,
                ByteBuffer.allocate(Integer.BYTES).putInt(source.partition()).array()));
        Record<String, ShipmentDispatched> withSource = record.withHeaders(headers);
        for (CodeBinding binding : bindings) {
            context.forward(withSource.withKey(binding.getCode()).withValue(binding));
        }
    }

    private List<CodeBinding> bindCase(ShipmentDispatched shipment, Destination destination, CaseUnit unit,
                                       String palletCode, String field) {
        String caseCode = readable(unit.getCaseCode(), field + ".caseCode");
        List<CodeBinding> bindings = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < unit.getItemCodes().size(); i++) {
            String item = readable(unit.getItemCodes().get(i), field + ".itemCodes[" + i + "]");
            items.add(item);
            bindings.add(binding(shipment, destination, item, CodeLevel.ITEM, caseCode, unit.getSku(),
                    unit.getBatch(), 1, List.of()));
        }
        // a case without listed items still stands for at least one unit
        bindings.add(0, binding(shipment, destination, caseCode, CodeLevel.CASE, palletCode, unit.getSku(),
                unit.getBatch(), Math.max(items.size(), 1), items));
        return bindings;
    }

    private static String readable(String code, String field) {
        try {
            return TraceCode.parse(code).code();
        } catch (TraceCode.InvalidTraceCodeException e) {
            throw new RejectedRecordException(field, "unreadable trace code: " + e.getMessage());
        }
    }

    private static String sameOrNull(List<String> values) {
        return values.isEmpty() || values.stream().distinct().count() > 1 ? null : values.get(0);
    }

    private static CodeBinding binding(ShipmentDispatched shipment, Destination destination, String code,
                                       CodeLevel level, String parentCode, String sku, String batch, int units,
                                       List<String> contents) {
        return CodeBinding.newBuilder()
                .setEventId(shipment.getEventId())
                .setOccurredAt(shipment.getOccurredAt())
                .setSource(DiversionAlerts.SOURCE)
                .setCode(code)
                .setLevel(level)
                .setParentCode(parentCode)
                .setSku(sku)
                .setBatch(batch)
                .setUnits(units)
                .setCause(BindingCause.SHIPMENT)
                .setReference(shipment.getShipmentId())
                .setShipmentId(shipment.getShipmentId())
                .setFromLocationId(shipment.getFromLocationId())
                .setToLocationId(shipment.getToLocationId())
                .setDealerId(destination.dealerId())
                .setBoundRegionCodes(destination.regionCodes())
                .setBoundLatitude(destination.latitude())
                .setBoundLongitude(destination.longitude())
                .setContents(contents)
                .setInheritedFrom(null)
                .build();
    }

    /**
     * Who and where the goods went: the named dealer (else the dealer operating the receiving location),
     * its authorized regions at dispatch (else the location's own region), and the location's position.
     */
    record Destination(String dealerId, List<String> regionCodes, Double latitude, Double longitude) {

        static Destination of(String toLocationId, String toDealerId, java.time.Instant at, MasterData masterData) {
            Optional<LocationUpserted> location = masterData.location(toLocationId);
            String dealerId = toDealerId != null && !toDealerId.isBlank() ? toDealerId
                    : location.map(LocationUpserted::getDealerId).orElse(null);
            List<String> regionCodes = Optional.ofNullable(dealerId)
                    .flatMap(dealer -> masterData.authorizedRegionsAt(dealer, at))
                    .or(() -> location.map(place -> List.of(place.getRegionCode())))
                    .orElse(List.of());
            return new Destination(dealerId, List.copyOf(regionCodes),
                    location.map(LocationUpserted::getLatitude).orElse(null),
                    location.map(LocationUpserted::getLongitude).orElse(null));
        }
    }
}
