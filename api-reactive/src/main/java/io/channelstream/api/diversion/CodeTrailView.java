package io.channelstream.api.diversion;

import io.channelstream.events.CodeBinding;
import io.channelstream.events.CodeSighting;
import io.channelstream.events.CodeTrail;
import java.time.Instant;
import java.util.List;

/**
 * A trace code as the API answers it: where it was bound (latest last) and where it was seen.
 *
 * @param raisedConditions conditions already raised for the code (e.g. DIVERSION|code)
 * @param unknownAfter     while unbound: when an unknown-code alert is due
 * @param servedBy         the instance whose store answered
 * @param stale            true when a standby copy answered during a rebalance
 */
public record CodeTrailView(
        String code,
        boolean bound,
        List<BindingView> bindings,
        List<SightingView> sightings,
        List<String> raisedConditions,
        Instant unknownAfter,
        String servedBy,
        boolean stale) {

    public record BindingView(String level, String sku, String batch, int units, String cause, String reference,
                              String shipmentId, String fromLocationId, String toLocationId, String dealerId,
                              List<String> boundRegionCodes, Instant boundAt, String parentCode,
                              String inheritedFrom) {

        static BindingView of(CodeBinding binding) {
            return new BindingView(binding.getLevel().name(), binding.getSku(), binding.getBatch(), binding.getUnits(),
                    binding.getCause().name(), binding.getReference(), binding.getShipmentId(),
                    binding.getFromLocationId(), binding.getToLocationId(), binding.getDealerId(),
                    List.copyOf(binding.getBoundRegionCodes()), binding.getOccurredAt(), binding.getParentCode(),
                    binding.getInheritedFrom());
        }
    }

    public record SightingView(String scanEventId, Instant occurredAt, String placeLocationId, String regionCode,
                               double latitude, double longitude, boolean positionApproximate, String scannerRole,
                               Long unitPriceFen, String verdict) {

        static SightingView of(CodeSighting sighting) {
            return new SightingView(sighting.getScanEventId(), sighting.getOccurredAt(), sighting.getPlaceLocationId(),
                    sighting.getRegionCode(), sighting.getLatitude(), sighting.getLongitude(),
                    sighting.getPositionApproximate(), sighting.getScannerRole(), sighting.getUnitPriceFen(),
                    sighting.getVerdict().name());
        }
    }

    static CodeTrailView of(CodeTrail trail, String servedBy, boolean stale) {
        return new CodeTrailView(trail.getCode(), !trail.getBindings().isEmpty(),
                trail.getBindings().stream().map(BindingView::of).toList(),
                trail.getSightings().stream().map(SightingView::of).toList(),
                List.copyOf(trail.getRaisedConditions()),
                trail.getUnboundDeadline(), servedBy, stale);
    }

    /** Dealers the code was bound to, and every region involved: who may see it. */
    List<String> dealerIds() {
        return bindings.stream().map(BindingView::dealerId).filter(java.util.Objects::nonNull).distinct().toList();
    }

    List<String> regionCodes() {
        List<String> codes = new java.util.ArrayList<>();
        bindings.forEach(binding -> codes.addAll(binding.boundRegionCodes()));
        sightings.forEach(sighting -> codes.add(sighting.regionCode()));
        return codes.stream().distinct().toList();
    }
}
