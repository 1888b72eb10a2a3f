package dev.carnival.runtime.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name closest to a misspelt one, for a "did you mean" in an error: within one edit
 * (an insertion, a deletion, a substitution, or two neighbours swapped) for names of up to four
 * characters, two for longer ones; ties go to the alphabetically first.
 */
public final class DidYouMean {
    private DidYouMean() {}

    /** The closest of {@code known} to {@code given}, if one is close enough. */
    public static Optional<String> closest(String given, Collection<String> known) {
        String g = given.toLowerCase(Locale.ROOT);
        int most = g.length() <= 4 ? 1 : 2;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(g, k.toLowerCase(Locale.ROOT));
            if (d <= most && (d < bestDistance || d == bestDistance && k.compareTo(best) < 0)) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code " (did you mean 'x'?)"}, or empty. */
    public static String hint(String given, Collection<String> known) {
        return closest(given, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2) {
            return Integer.MAX_VALUE; // farther than any hint goes; spares long inputs the table
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
