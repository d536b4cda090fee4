package io.channelstream.regions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegionTreeTest {

    private final RegionTree china = RegionTree.china();

    @Test
    void holdsEveryProvinceCityAndCountyOfTheShippedData() {
        assertThat(china.size()).isEqualTo(31 + 342 + 2978);
        assertThat(china.region("44")).get().extracting(RegionTree.Region::name).isEqualTo("广东省");
        assertThat(china.region("440106")).get().extracting(RegionTree.Region::level)
                .isEqualTo(RegionTree.Level.COUNTY);
    }

    @Test
    void aCountyInsideAnAuthorizedProvinceIsInside() {
        assertThat(china.contains("44", "440106")).isTrue();   // Tianhe district, Guangzhou
        assertThat(china.contains("4401", "440106")).isTrue();  // Guangzhou city
        assertThat(china.contains("440106", "440106")).isTrue();
        assertThat(china.contains("4403", "440106")).isFalse(); // Shenzhen
        assertThat(china.contains("31", "440106")).isFalse();   // Shanghai
        assertThat(china.contains("440106", "44")).isFalse();   // a county does not contain its province
    }

    @Test
    void unknownCodesAreInsideNothing() {
        assertThat(china.exists("999999")).isFalse();
        assertThat(china.contains("44", "449999")).isFalse();
        assertThat(china.containedInAny(List.of("44", "31"), "310115")).isTrue();
        assertThat(china.containedInAny(List.of(), "310115")).isFalse();
    }

    @Test
    void everyProvinceHasACapitalForDistanceFallback() {
        assertThat(china.provinceCapital("440106")).get()
                .satisfies(c -> assertThat(c.latitude()).isBetween(22.0, 24.0));
        for (String province : List.of("11", "31", "44", "65", "54")) {
            assertThat(china.provinceCapital(province)).as(province).isPresent();
        }
    }
}
