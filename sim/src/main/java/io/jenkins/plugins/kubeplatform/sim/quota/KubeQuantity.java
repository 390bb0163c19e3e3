package io.jenkins.plugins.kubeplatform.sim.quota;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource quantity as apimachinery's {@code resource.Quantity} holds it: an exact value and the format its text
 * was written in, printed in canonical form ({@code CanonicalizeBytes}: the largest suffix of that format that keeps
 * the number whole, a binary value below 1024 or not whole printed in decimal SI), added keeping the format of the
 * first non-zero operand ({@code Quantity.Add}).
 */
public record KubeQuantity(BigDecimal value, Format format) implements Comparable<KubeQuantity> {

    /** The three formats of apimachinery's quantities. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    public static final KubeQuantity ZERO = new KubeQuantity(BigDecimal.ZERO, Format.DECIMAL_SI);
    /** {@code resource.MaxMilliValue}: beyond it, limits are compared in whole units. */
    private static final BigDecimal MAX_MILLI_VALUE = BigDecimal.valueOf(Long.MAX_VALUE / 1000);
    private static final Pattern TEXT = Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
            + "([eE][+-]?[0-9]+|[a-zA-Z]{0,2})");
    private static final Map<String, Integer> DECIMAL = Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6,
            "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<String, Integer> BINARY = Map.of("Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);
    private static final String[] BINARY_SUFFIX = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger KI = BigInteger.valueOf(1024);

    /** The quantity {@code text} denotes; empty when it is not a quantity. */
    public static Optional<KubeQuantity> parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        String suffix = m.group(2);
        BigDecimal value;
        Format format;
        if (BINARY.containsKey(suffix)) {
            value = number.multiply(new BigDecimal(KI.pow(BINARY.get(suffix))));
            format = Format.BINARY_SI;
        } else if (DECIMAL.containsKey(suffix)) {
            value = number.scaleByPowerOfTen(DECIMAL.get(suffix));
            format = Format.DECIMAL_SI;
        } else if (suffix.startsWith("e") || suffix.startsWith("E")) {
            value = number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
            format = Format.DECIMAL_EXPONENT;
        } else {
            return Optional.empty();
        }
        // quantities keep nano precision, rounding smaller amounts up
        return Optional.of(new KubeQuantity(value.setScale(9, RoundingMode.CEILING).stripTrailingZeros(), format));
    }

    /** A whole number in decimal SI. */
    public static KubeQuantity of(long value) {
        return new KubeQuantity(BigDecimal.valueOf(value), Format.DECIMAL_SI);
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    public int signum() {
        return value.signum();
    }

    /** The sum, in this quantity's format unless this one is zero ({@code Quantity.Add}). */
    public KubeQuantity add(KubeQuantity other) {
        return new KubeQuantity(value.add(other.value), isZero() ? other.format : format);
    }

    @Override
    public int compareTo(KubeQuantity other) {
        return value.compareTo(other.value);
    }

    /** {@code MilliValue()}: the value in thousandths, rounded up. */
    public BigInteger milliValue() {
        return value.movePointRight(3).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }

    /** {@code Value()}: the value rounded up to a whole number. */
    public BigInteger wholeValue() {
        return value.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }

    /** Whether a value is small enough to be compared in thousandths ({@code requestLimitEnforcedValues}). */
    static boolean fitsMilli(KubeQuantity... quantities) {
        for (KubeQuantity q : quantities) {
            if (new BigDecimal(q.wholeValue()).compareTo(MAX_MILLI_VALUE) > 0) {
                return false;
            }
        }
        return true;
    }

    /** The canonical text, as {@code Quantity.String()} prints it. */
    @Override
    public String toString() {
        if (isZero()) {
            return "0";
        }
        Format shown = format;
        if (shown == Format.BINARY_SI && (value.abs().compareTo(BigDecimal.valueOf(1024)) < 0
                || value.stripTrailingZeros().scale() > 0)) {
            shown = Format.DECIMAL_SI;
        }
        if (shown == Format.BINARY_SI) {
            BigInteger amount = value.toBigIntegerExact();
            int exponent = 0;
            while (exponent < BINARY_SUFFIX.length - 1 && amount.mod(KI).signum() == 0) {
                amount = amount.divide(KI);
                exponent++;
            }
            return amount + BINARY_SUFFIX[exponent];
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        int remainder = Math.floorMod(exponent, 3);
        mantissa = mantissa.multiply(BigInteger.TEN.pow(remainder));
        exponent -= remainder;
        if (shown == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
        }
        for (Map.Entry<String, Integer> e : DECIMAL.entrySet()) {
            if (e.getValue() == exponent) {
                return mantissa + e.getKey();
            }
        }
        return mantissa + "e" + exponent;
    }
}
