package io.jenkins.plugins.kubeplatform.engine.expose;

import com.github.houbb.pinyin.constant.enums.PinyinStyleEnum;
import com.github.houbb.pinyin.util.PinyinHelper;
import com.ibm.icu.text.Transliterator;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Turns a name in any script into lowercase ASCII. Chinese runs are read as whole phrases by a pinyin dictionary
 * (so 重庆 is {@code chongqing} and 银行 is {@code yinhang}, which per-character readers get wrong); every other
 * script goes through ICU's {@code Any-Latin; Latin-ASCII} transliterators.
 */
public final class Transliteration {

    /**
     * The ASCII reading of a name.
     *
     * @param text  lowercase ASCII; separators between scripts and words are kept as {@code -} or spaces
     * @param lossy some characters had no ASCII reading and were dropped, so the text alone does not identify the name
     */
    public record Latin(String text, boolean lossy) {
    }

    private Transliteration() {
    }

    public static Latin toLatin(String name) {
        if (name.chars().allMatch(c -> c < 0x80)) {
            return new Latin(name.toLowerCase(Locale.ROOT), false); // most names: no dictionary needed
        }
        String input = Normalizer.normalize(name, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder();
        boolean lossy = false;
        int i = 0;
        while (i < input.length()) {
            int start = i;
            boolean han = isHan(input.codePointAt(i));
            while (i < input.length() && isHan(input.codePointAt(i)) == han) {
                i += Character.charCount(input.codePointAt(i));
            }
            String run = input.substring(start, i);
            String latin = han ? Readers.pinyin(run) : Readers.other(run);
            if (han && out.length() > 0) {
                out.append('-');
            }
            for (int k = 0; k < latin.length(); k++) {
                char c = latin.charAt(k);
                if (c < 0x80) {
                    out.append(c);
                } else if (Character.isLetterOrDigit(c) || Character.getType(c) == Character.OTHER_SYMBOL
                        || Character.isSurrogate(c)) {
                    lossy = true;
                }
            }
            if (han && i < input.length()) {
                out.append('-');
            }
        }
        return new Latin(out.toString().toLowerCase(Locale.ROOT), lossy);
    }

    private static boolean isHan(int codePoint) {
        return Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN;
    }

    /** The dictionaries load once (about a second), on first use. */
    private static final class Readers {
        private static final Transliterator OTHER = Transliterator.getInstance("Any-Latin; Latin-ASCII");

        static {
            PinyinHelper.toPinyin("中", PinyinStyleEnum.NORMAL, "");
        }

        static String pinyin(String han) {
            // ü is written "v" (lv, nv), the usual spelling in domains and pinyin input methods
            return PinyinHelper.toPinyin(han, PinyinStyleEnum.NORMAL, "").replace('ü', 'v');
        }

        static synchronized String other(String text) {
            return OTHER.transliterate(text);
        }
    }
}
