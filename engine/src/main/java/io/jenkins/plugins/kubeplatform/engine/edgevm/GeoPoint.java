package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.Locale;

/** A place on earth in decimal degrees, with great-circle (haversine) distances between places. */
public record GeoPoint(double latitude, double longitude) {

    /** Mean earth radius used by the haversine formula. */
    static final double EARTH_RADIUS_KM = 6371.0088;

    public GeoPoint {
        if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
            throw new InvalidInputException("location", "latitude must be within -90..90 and longitude within "
                    + "-180..180; got " + latitude + "," + longitude);
        }
    }

    /** Parses {@code "LAT,LON"} such as {@code "50.11,8.68"}. */
    public static GeoPoint parse(String field, String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        if (parts.length != 2) {
            throw new InvalidInputException(field, "must be LATITUDE,LONGITUDE in decimal degrees such as "
                    + "50.11,8.68; got '" + io.jenkins.plugins.kubeplatform.engine.core.Require.printable(text) + "'");
        }
        try {
            return new GeoPoint(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "must be LATITUDE,LONGITUDE in decimal degrees such as "
                    + "50.11,8.68; got '" + io.jenkins.plugins.kubeplatform.engine.core.Require.printable(text) + "'");
        }
    }

    /** Great-circle distance in kilometres (haversine formula). */
    public double distanceKm(GeoPoint other) {
        double lat1 = Math.toRadians(latitude);
        double lat2 = Math.toRadians(other.latitude);
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(other.longitude - longitude);
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4f,%.4f", latitude, longitude);
    }
}
