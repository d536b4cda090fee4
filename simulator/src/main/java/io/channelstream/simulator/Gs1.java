package io.channelstream.simulator;

/**
 * GS1 identifiers as the simulator prints them. Item and case codes follow the GS1 Digital Link URI
 * syntax ({@code https://<domain>/01/<GTIN-14>/10/<batch>/21/<serial>}); pallets carry an SSCC
 * ({@code https://<domain>/00/<SSCC-18>}). Check digits are computed with the GS1 mod-10 rule, so
 * every code a scanner app would accept is well formed; whether it was ever issued is another matter.
 */
public final class Gs1 {

    private Gs1() {
    }

    /** GS1 mod-10 check digit of {@code digits} (the identifier without its check digit). */
    public static int checkDigit(String digits) {
        int sum = 0;
        boolean timesThree = true; // weights 3,1,3,1... counted from the rightmost digit
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("not a digit string: " + digits);
            }
            sum += timesThree ? 3 * d : d;
            timesThree = !timesThree;
        }
        return (10 - sum % 10) % 10;
    }

    /** A GTIN-13 from a 12-digit body. */
    public static String gtin13(String body12) {
        if (body12.length() != 12) {
            throw new IllegalArgumentException("a GTIN-13 body has 12 digits: " + body12);
        }
        return body12 + checkDigit(body12);
    }

    /** The consumer unit's GTIN-14 (a GTIN-13 padded with a leading zero, as Digital Link requires). */
    public static String itemGtin14(String gtin13) {
        return "0".concat(gtin13);
    }

    /** The case's GTIN-14: indicator digit 1 + the item's first 12 digits + a new check digit. */
    public static String caseGtin14(String gtin13) {
        String body = "1" + gtin13.substring(0, 12);
        return body + checkDigit(body);
    }

    /** An SSCC-18 from extension digit 0, the company prefix and a serial reference. */
    public static String sscc(String companyPrefix, long serialReference) {
        int width = 16 - companyPrefix.length();
        String body = "0" + companyPrefix + String.format("%0" + width + "d", serialReference % pow10(width));
        return body + checkDigit(body);
    }

    public static String digitalLink(String domain, String gtin14, String batch, String serial) {
        return "https://" + domain + "/01/" + gtin14 + "/10/" + batch + "/21/" + serial;
    }

    public static String palletLink(String domain, String sscc) {
        return "https://" + domain + "/00/" + sscc;
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
