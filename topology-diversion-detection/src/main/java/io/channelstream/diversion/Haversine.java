package io.channelstream.diversion;

/** Great-circle distance on a spherical Earth: good to about 0.5 %, far below what any rule here depends on. */
public final class Haversine {

    /** Mean Earth radius (IUGG), km. */
    public static final double EARTH_RADIUS_KM = 6371.0088;
    /** Half the great circle: no two positions are further apart than this. */
    public static final double MAX_DISTANCE_KM = Math.PI * EARTH_RADIUS_KM;

    private Haversine() {
    }

    /** Distance in km between two WGS-84 positions given in degrees. */
    public static double distanceKm(double latitude1, double longitude1, double latitude2, double longitude2) {
        double phi1 = Math.toRadians(latitude1);
        double phi2 = Math.toRadians(latitude2);
        double deltaPhi = Math.toRadians(latitude2 - latitude1);
        double deltaLambda = Math.toRadians(longitude2 - longitude1);
        double a = Math.sin(deltaPhi / 2) * Math.sin(deltaPhi / 2)
                + Math.cos(phi1) * Math.cos(phi2) * Math.sin(deltaLambda / 2) * Math.sin(deltaLambda / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }
}
