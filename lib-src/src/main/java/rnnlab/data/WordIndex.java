package rnnlab.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Keras's IMDB word index: word → frequency rank (1 = most frequent), as returned by
 * {@code keras.datasets.imdb.get_word_index()}, plus the reverse lookup and the decoder of report
 * 000 cell 3 ({@code ' '.join(reverse.get(i - 3, '?') for i in seq)}).
 *
 * <p>Parsed with Jackson's streaming parser (strictly a flat JSON object of string → integer).
 */
public final class WordIndex {

    private final Map<String, Integer> ranks;
    private final Map<Integer, String> byRank;

    /** A word index from a word → rank map (ranks ≥ 1, unique). */
    public WordIndex(Map<String, Integer> ranks) {
        Objects.requireNonNull(ranks, "ranks");
        // A map, not an array indexed by rank: a rank read from a file decides no allocation.
        Map<Integer, String> rev = new HashMap<>(ranks.size() * 2);
        for (var e : ranks.entrySet()) {
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException("word index rank of '" + e.getKey() + "' is " + e.getValue() + "; ranks must be >= 1");
            }
            String other = rev.putIfAbsent(e.getValue(), e.getKey());
            if (other != null) {
                throw new IllegalArgumentException("word index rank " + e.getValue() + " is used by both '"
                        + other + "' and '" + e.getKey() + "'");
            }
        }
        this.ranks = Collections.unmodifiableMap(new HashMap<>(ranks));
        this.byRank = rev;
    }

    /** Reads {@code imdb_word_index.json}; anything but a flat object of string → positive int is a {@link BadDataException}. */
    public static WordIndex read(Path json) {
        Map<String, Integer> map = new HashMap<>(1 << 17);
        try (InputStream in = Files.newInputStream(json);
             JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadDataException(json, "word index must be a JSON object {\"word\": rank, ...}");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String word = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw new BadDataException(json, "rank of '" + word + "' is not an integer (at "
                            + p.currentLocation().getLineNr() + ":" + p.currentLocation().getColumnNr() + ")");
                }
                if (p.getNumberType() != JsonParser.NumberType.INT) {
                    throw new BadDataException(json, "rank of '" + word + "' is " + p.getText() + ", not a frequency rank");
                }
                map.put(word, p.getIntValue());
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new BadDataException(json, "unexpected JSON after the word index object");
            }
        } catch (IOException e) {
            throw new BadDataException(json, "word index does not parse as JSON: " + e.getMessage(), e);
        }
        if (map.isEmpty()) {
            throw new BadDataException(json, "word index is empty");
        }
        // Keras's ranks are frequency ranks 1..N over the N words of the file
        for (var e : map.entrySet()) {
            if (e.getValue() > map.size()) {
                throw new BadDataException(json, "rank of '" + e.getKey() + "' is " + e.getValue() + ", above the " + map.size()
                        + " words in the file (ranks are frequency ranks 1..N)");
            }
        }
        try {
            return new WordIndex(map);
        } catch (IllegalArgumentException e) {
            throw new BadDataException(json, e.getMessage(), e);
        }
    }

    /** The word → rank map (unmodifiable), like Keras's dict. */
    public Map<String, Integer> asMap() {
        return ranks;
    }

    /** Number of words. */
    public int size() {
        return ranks.size();
    }

    /** The rank of {@code word}, or -1 when it is not in the index. */
    public int rank(String word) {
        Integer r = ranks.get(word);
        return r == null ? -1 : r;
    }

    /** The word of rank {@code rank}, or {@code null}. */
    public String word(int rank) {
        return byRank.get(rank);
    }

    /**
     * Decodes a Keras IMDB sequence: each index {@code i} becomes the word of rank {@code i - indexFrom},
     * and {@code ?} when there is none (padding 0, start 1, OOV 2 with the default offset 3).
     * Mirrors {@code ' '.join([reverse_word_index.get(i - 3, '?') for i in seq])}.
     */
    public String decode(int[] sequence, int indexFrom) {
        StringJoiner j = new StringJoiner(" ");
        for (int i : sequence) {
            String w = word(i - indexFrom);
            j.add(w == null ? "?" : w);
        }
        return j.toString();
    }

    /** {@link #decode(int[], int)} with Keras's default offset 3. */
    public String decode(int[] sequence) {
        return decode(sequence, 3);
    }

    @Override
    public String toString() {
        return "WordIndex[" + size() + " words]";
    }
}
