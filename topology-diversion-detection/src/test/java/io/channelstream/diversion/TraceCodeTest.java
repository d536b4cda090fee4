package io.channelstream.diversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which printed codes are trace codes, and why the others are not. */
class TraceCodeTest {

    private static final String GTIN = DiversionWorld.GTIN;

    @Test
    void aDigitalLinkOfASerialisedItemIsReadWithItsGtinBatchAndSerial() {
        TraceCode code = TraceCode.parse("https://qr.brand.test/01/" + GTIN + "/10/B2026-01/21/ABC123?17=270710");

        assertThat(code.form()).isEqualTo(TraceCode.Form.DIGITAL_LINK_SERIAL);
        assertThat(code.gtin()).isEqualTo(GTIN);
        assertThat(code.batch()).isEqualTo("B2026-01");
        assertThat(code.serial()).isEqualTo("ABC123");
    }

    @Test
    void aShortGtinIsPaddedToFourteenDigits() {
        String gtin13 = GTIN.substring(1);
        assertThat(TraceCode.parse("https://id.example.test/01/" + gtin13 + "/21/9").gtin()).isEqualTo(GTIN);
    }

    @Test
    void aPalletSsccAndAnOpaqueCaseCodeAreCodesToo() {
        String sscc = DiversionWorld.sscc("00690123400000001");
        assertThat(TraceCode.parse("https://qr.brand.test/00/" + sscc).form()).isEqualTo(TraceCode.Form.DIGITAL_LINK_SSCC);
        assertThat(TraceCode.parse("  CASE-000123\n").code()).isEqualTo("CASE-000123");
    }

    @Test
    void codesThatCannotBeReadSayWhy() {
        assertThatThrownBy(() -> TraceCode.parse(" ")).hasMessage("is blank");
        assertThatThrownBy(() -> TraceCode.parse("https://qr.brand.test/01/" + GTIN))
                .hasMessageContaining("has no serial (/21/)");
        assertThatThrownBy(() -> TraceCode.parse("https://qr.brand.test/01/06901234567890/21/1"))
                .hasMessageContaining("wrong check digit");
        assertThatThrownBy(() -> TraceCode.parse("https://qr.brand.test/product/123"))
                .hasMessageContaining("without a GTIN");
        assertThatThrownBy(() -> TraceCode.parse("CASE 1")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> TraceCode.parse("A|B|C|D")).hasMessageContaining("neither");
    }
}
