package io.channelstream.simulator;

import io.channelstream.regions.RegionTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GB/T 2260 tree as lists the simulator can draw from. Containment, names and province capitals
 * come from topology-support's {@link RegionTree}; it has no listing of children, so the lists are
 * read here from the same CSV files on the classpath (one source of data, two views).
 */
public final class Regions {

    private final RegionTree tree;
    private final List<String> provinces;
    private final Map<String, List<String>> citiesByProvince;
    private final Map<String, List<String>> countiesByCity;

    private Regions(RegionTree tree, List<String> provinces, Map<String, List<String>> citiesByProvince,
                    Map<String, List<String>> countiesByCity) {
        this.tree = tree;
        this.provinces = provinces;
        this.citiesByProvince = citiesByProvince;
        this.countiesByCity = countiesByCity;
    }

    private static final class Holder {
        static final Regions CHINA = load();
    }

    public static Regions china() {
        return Holder.CHINA;
    }

    public RegionTree tree() {
        return tree;
    }

    /** Province codes in code order. */
    public List<String> provinces() {
        return provinces;
    }

    /** Cities of a province that have at least one county (a dealer's depot must lie in a county). */
    public List<String> citiesWithCounties(String province) {
        return citiesByProvince.getOrDefault(province, List.of()).stream()
                .filter(city -> !countiesByCity.getOrDefault(city, List.of()).isEmpty())
                .toList();
    }

    public List<String> counties(String city) {
        return countiesByCity.getOrDefault(city, List.of());
    }

    /** Rural counties (县, 旗 and 自治县) as opposed to urban districts; "townships" in the price table. */
    public boolean isRuralCounty(String code) {
        return code.length() == 6 && tree.region(code)
                .map(r -> r.name().endsWith("县") || r.name().endsWith("旗"))
                .orElse(false);
    }

    public RegionTree.Coordinates capital(String code) {
        return tree.provinceCapital(code)
                .orElseThrow(() -> new IllegalArgumentException("no province capital for region " + code));
    }

    private static Regions load() {
        List<String> provinces = new ArrayList<>();
        for (List<String> row : csv("provinces.csv")) {
            provinces.add(row.get(0));
        }
        Map<String, List<String>> cities = new LinkedHashMap<>();
        for (List<String> row : csv("cities.csv")) {
            cities.computeIfAbsent(row.get(2), k -> new ArrayList<>()).add(row.get(0));
        }
        Map<String, List<String>> counties = new LinkedHashMap<>();
        for (List<String> row : csv("counties.csv")) {
            counties.computeIfAbsent(row.get(2), k -> new ArrayList<>()).add(row.get(0));
        }
        Collections.sort(provinces);
        cities.values().forEach(Collections::sort);
        counties.values().forEach(Collections::sort);
        return new Regions(RegionTree.china(), List.copyOf(provinces), cities, counties);
    }

    private static List<List<String>> csv(String file) {
        String resource = "/regions/" + file;
        try (InputStream in = Regions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("region data missing from the classpath: " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<List<String>> rows = new ArrayList<>();
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    List<String> fields = new ArrayList<>();
                    for (String field : line.split(",", -1)) {
                        fields.add(field.replace("\"", ""));
                    }
                    rows.add(fields);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
