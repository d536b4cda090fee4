package io.channelstream.regions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * China's administrative divisions (GB/T 2260): province (2 digits) → city (4) → county (6).
 * A code is inside another when the other is itself or one of its ancestors, so a dealer authorized
 * for province 44 covers county 440106. Immutable once loaded; share one instance.
 */
public final class RegionTree {

    public enum Level { PROVINCE, CITY, COUNTY }

    public record Region(String code, String name, Level level, String parentCode) {}

    /** Approximate position used when a place has no coordinates of its own. */
    public record Coordinates(double latitude, double longitude) {}

    private final Map<String, Region> regions;
    private final Map<String, Coordinates> provinceCapitals;

    private RegionTree(Map<String, Region> regions, Map<String, Coordinates> provinceCapitals) {
        this.regions = Collections.unmodifiableMap(regions);
        this.provinceCapitals = Collections.unmodifiableMap(provinceCapitals);
    }

    private static final class Holder {
        static final RegionTree CHINA = load();
    }

    /** The tree shipped with the project (31 provinces, 342 cities, 2,978 counties). */
    public static RegionTree china() {
        return Holder.CHINA;
    }

    public boolean exists(String code) {
        return code != null && regions.containsKey(code);
    }

    public Optional<Region> region(String code) {
        return Optional.ofNullable(code == null ? null : regions.get(code));
    }

    /** True when {@code code} is {@code ancestor} or lies beneath it. Unknown codes are inside nothing. */
    public boolean contains(String ancestor, String code) {
        if (!exists(ancestor) || !exists(code)) {
            return false;
        }
        for (String current = code; current != null; current = regions.get(current).parentCode()) {
            if (current.equals(ancestor)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code code} lies inside at least one of {@code ancestors}. */
    public boolean containedInAny(Iterable<String> ancestors, String code) {
        for (String ancestor : ancestors) {
            if (contains(ancestor, code)) {
                return true;
            }
        }
        return false;
    }

    public Optional<String> provinceOf(String code) {
        return exists(code) ? Optional.of(code.substring(0, 2)) : Optional.empty();
    }

    public Optional<Coordinates> provinceCapital(String code) {
        return provinceOf(code).map(provinceCapitals::get);
    }

    public int size() {
        return regions.size();
    }

    private static RegionTree load() {
        Map<String, Region> regions = new HashMap<>();
        for (List<String> row : csv("provinces.csv")) {
            regions.put(row.get(0), new Region(row.get(0), row.get(1), Level.PROVINCE, null));
        }
        for (List<String> row : csv("cities.csv")) {
            regions.put(row.get(0), new Region(row.get(0), row.get(1), Level.CITY, row.get(2)));
        }
        for (List<String> row : csv("counties.csv")) {
            regions.put(row.get(0), new Region(row.get(0), row.get(1), Level.COUNTY, row.get(2)));
        }
        Map<String, Coordinates> capitals = new HashMap<>();
        for (List<String> row : csv("province-capitals.csv")) {
            capitals.put(row.get(0), new Coordinates(Double.parseDouble(row.get(2)), Double.parseDouble(row.get(3))));
        }
        return new RegionTree(regions, capitals);
    }

    private static List<List<String>> csv(String file) {
        String resource = "/regions/" + file;
        try (InputStream in = RegionTree.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("region data missing from the classpath: " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<List<String>> rows = new ArrayList<>();
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(splitCsvLine(line));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data holds quoted names without embedded quotes or commas beyond the field separators. */
    private static List<String> splitCsvLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
