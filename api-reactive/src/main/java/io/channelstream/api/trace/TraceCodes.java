package io.channelstream.api.trace;

import io.channelstream.api.web.BadRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Trace codes in one canonical form, so a code printed as a GS1 Digital Link URI on a tin, the same
 * link on another domain, and the path a resolver receives all find the same unit: a Digital Link is
 * reduced to its path {@code /01/<GTIN-14>[/10/<batch>][/21/<serial>]} (GTIN zero-padded to 14 digits,
 * percent-decoding undone, query and fragment dropped); any other code is kept as received.
 */
public final class TraceCodes {

    /** GS1 AI 10 (batch/lot) and AI 21 (serial) are at most 20 characters. */
    static final int MAX_BATCH_OR_SERIAL = 20;

    private TraceCodes() {
    }

    /** A parsed GS1 Digital Link path. */
    public record DigitalLink(String gtin, String batch, String serial) {
        public String path() {
            return "/01/" + gtin + (batch == null ? "" : "/10/" + batch) + (serial == null ? "" : "/21/" + serial);
        }
    }

    public static String canonical(String code) {
        String trimmed = code == null ? "" : code.strip();
        int start = trimmed.indexOf("/01/");
        if (start < 0) {
            return trimmed;
        }
        String path = trimmed.substring(start);
        int end = indexOfAny(path, '?', '#');
        if (end >= 0) {
            path = path.substring(0, end);
        }
        String[] parts = path.substring(1).split("/");
        String gtin = null;
        String batch = null;
        String serial = null;
        for (int i = 0; i + 1 < parts.length; i += 2) {
            String value = decode(parts[i + 1]);
            switch (parts[i]) {
                case "01" -> gtin = value;
                case "10" -> batch = value;
                case "21" -> serial = value;
                default -> { } // other AIs (e.g. 17 expiry) do not identify the unit
            }
        }
        if (gtin == null || !gtin.chars().allMatch(Character::isDigit) || gtin.length() > 14) {
            return trimmed;
        }
        return new DigitalLink(pad(gtin), batch, serial).path();
    }

    /** Validates a Digital Link's parts as a consumer's scan delivers them: 400 naming the part that is wrong. */
    public static DigitalLink digitalLink(String gtin, String batch, String serial) {
        if (gtin == null || !gtin.matches("\\d{8}|\\d{12}|\\d{13}|\\d{14}")) {
            throw BadRequestException.invalid("gtin", "a GTIN has 8, 12, 13 or 14 digits, was '" + gtin + "'");
        }
        String padded = pad(gtin);
        if (checkDigit(padded.substring(0, 13)) != padded.charAt(13) - '0') {
            throw BadRequestException.invalid("gtin", "check digit of '" + gtin + "' is wrong (expected "
                    + checkDigit(padded.substring(0, 13)) + ")");
        }
        requirePart("batch", batch);
        requirePart("serial", serial);
        return new DigitalLink(padded, batch, serial);
    }

    /** The GS1 mod-10 check digit of the first 13 digits of a GTIN-14. */
    public static int checkDigit(String first13) {
        int sum = 0;
        for (int i = 0; i < 13; i++) {
            int digit = first13.charAt(i) - '0';
            sum += (i % 2 == 0) ? digit * 3 : digit; // weights 3,1,3,... from the left for 13 digits
        }
        return (10 - sum % 10) % 10;
    }

    private static void requirePart(String field, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_BATCH_OR_SERIAL) {
            throw BadRequestException.invalid(field, "must be 1 to " + MAX_BATCH_OR_SERIAL + " characters");
        }
    }

    private static String pad(String gtin) {
        return "0".repeat(14 - gtin.length()) + gtin;
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return part;
        }
    }

    private static int indexOfAny(String value, char a, char b) {
        int ia = value.indexOf(a);
        int ib = value.indexOf(b);
        return ia < 0 ? ib : ib < 0 ? ia : Math.min(ia, ib);
    }
}
