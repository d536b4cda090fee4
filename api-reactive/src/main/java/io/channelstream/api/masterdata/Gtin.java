package io.channelstream.api.masterdata;

import java.util.Optional;

/** GS1 GTIN checks: 8, 12, 13 or 14 digits whose last digit is the GS1 mod-10 check digit. */
final class Gtin {

    private Gtin() {
    }

    /** Why the value is not a GTIN, or empty when it is one. */
    static Optional<String> problem(String value) {
        if (value == null || !value.strip().matches("[0-9]+")) {
            return Optional.of("must be digits only");
        }
        String digits = value.strip();
        int length = digits.length();
        if (length != 8 && length != 12 && length != 13 && length != 14) {
            return Optional.of("must be 8, 12, 13 or 14 digits, was " + length);
        }
        int sum = 0;
        boolean weightThree = true;
        for (int i = length - 2; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            sum += weightThree ? digit * 3 : digit;
            weightThree = !weightThree;
        }
        int check = (10 - sum % 10) % 10;
        if (check != digits.charAt(length - 1) - '0') {
            return Optional.of("check digit should be " + check);
        }
        return Optional.empty();
    }

    static String normalised(String value) {
        return value == null ? null : value.strip();
    }
}
