package io.channelstream.diversion;

import io.channelstream.events.LocationUpserted;
import io.channelstream.events.ScanRecorded;
import io.channelstream.regions.RegionTree;
import io.channelstream.streams.RejectedRecordException;

/**
 * Where a scan happened: a region of the GB/T 2260 tree and a position. The region comes from the scan,
 * or from the location of record it names; the position from the scan's coordinates, else that location,
 * else (approximately) the capital of the region's province.
 *
 * @param approximate true when the position is only the province capital
 */
record Place(String regionCode, String locationId, double latitude, double longitude, boolean approximate) {

    /** The scan's place, or a {@link RejectedRecordException} naming the field that leaves it unplaceable. */
    static Place of(ScanRecorded scan, MasterData masterData, RegionTree regions) {
        String locationId = scan.getPlaceLocationId();
        LocationUpserted location = locationId == null ? null : masterData.location(locationId).orElse(null);
        String regionCode = scan.getRegionCode() != null && !scan.getRegionCode().isBlank()
                ? scan.getRegionCode().strip()
                : location != null ? location.getRegionCode() : null;
        if (regionCode == null) {
            if (locationId != null) {
                throw new RejectedRecordException("placeLocationId", "unknown location '" + locationId
                        + "' and no regionCode: the scan cannot be placed");
            }
            throw new RejectedRecordException("regionCode",
                    "scan without a place: neither regionCode nor placeLocationId is given");
        }
        if (!regions.exists(regionCode)) {
            throw new RejectedRecordException("regionCode",
                    "'" + regionCode + "' is not a GB/T 2260 province, city or county code");
        }
        Double latitude = scan.getLatitude();
        Double longitude = scan.getLongitude();
        if (latitude != null && longitude != null) {
            if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180 || latitude.isNaN() || longitude.isNaN()) {
                throw new RejectedRecordException("latitude", "position " + latitude + "," + longitude
                        + " is not a WGS-84 position in degrees");
            }
            return new Place(regionCode, locationId, latitude, longitude, false);
        }
        if (location != null) {
            return new Place(regionCode, locationId, location.getLatitude(), location.getLongitude(), false);
        }
        RegionTree.Coordinates capital = regions.provinceCapital(regionCode)
                .orElseThrow(() -> new RejectedRecordException("regionCode",
                        "no position is known for region '" + regionCode + "'"));
        return new Place(regionCode, locationId, capital.latitude(), capital.longitude(), true);
    }
}
