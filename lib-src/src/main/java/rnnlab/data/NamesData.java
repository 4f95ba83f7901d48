package rnnlab.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The names corpus: languages in a fixed order and the surnames of each. Mirrors the tutorial's
 * {@code all_categories} and {@code category_lines} globals.
 *
 * @param languages   language names in class-index order (sorted by name)
 * @param namesByLanguage language → its ASCII-folded names, in file order
 */
public record NamesData(List<String> languages, Map<String, List<String>> namesByLanguage) {

    /** Copies and checks every language has a (possibly empty after a split) list of names. */
    public NamesData {
        languages = List.copyOf(languages);
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String l : languages) {
            List<String> names = Objects.requireNonNull(namesByLanguage.get(l), () -> "no names list for language " + l);
            m.put(l, List.copyOf(names));
        }
        if (m.size() != namesByLanguage.size()) {
            throw new IllegalArgumentException("namesByLanguage has languages not in the languages list");
        }
        namesByLanguage = Collections.unmodifiableMap(m);
    }

    /** Number of languages (18 for the full corpus), the tutorial's {@code n_categories}. */
    public int numLanguages() {
        return languages.size();
    }

    /** Total number of names. */
    public int size() {
        return namesByLanguage.values().stream().mapToInt(List::size).sum();
    }

    /** The names of {@code language}. */
    public List<String> names(String language) {
        List<String> n = namesByLanguage.get(language);
        if (n == null) {
            throw new IllegalArgumentException("unknown language '" + language + "'; known: " + languages);
        }
        return n;
    }

    /** Class index of {@code language}. */
    public int languageIndex(String language) {
        int i = languages.indexOf(language);
        if (i < 0) {
            throw new IllegalArgumentException("unknown language '" + language + "'; known: " + languages);
        }
        return i;
    }

    /** Every (language, name) pair, language by language. */
    public List<NameExample> examples() {
        List<NameExample> out = new ArrayList<>(size());
        for (int i = 0; i < languages.size(); i++) {
            for (String n : namesByLanguage.get(languages.get(i))) {
                out.add(new NameExample(languages.get(i), i, n));
            }
        }
        return out;
    }

    /**
     * Mirrors the tutorial's {@code randomTrainingExample()}: a language uniformly at random, then
     * one of its names uniformly at random (so rare languages are over-sampled, as in the tutorial).
     * The sequence comes from {@code random} (Java's generator, not Python's {@code random}).
     */
    public NameExample randomTrainingExample(Random random) {
        List<Integer> nonEmpty = new ArrayList<>();
        for (int i = 0; i < languages.size(); i++) {
            if (!namesByLanguage.get(languages.get(i)).isEmpty()) {
                nonEmpty.add(i);
            }
        }
        if (nonEmpty.isEmpty()) {
            throw new IllegalStateException("no names to sample from");
        }
        int li = nonEmpty.get(random.nextInt(nonEmpty.size()));
        List<String> names = namesByLanguage.get(languages.get(li));
        return new NameExample(languages.get(li), li, names.get(random.nextInt(names.size())));
    }

    /**
     * A seeded, stratified validation split: within each language the names are shuffled with
     * {@code new Random(seed)} and the last {@code round(validationFraction * n)} go to validation,
     * so every language keeps its share in both parts. (The tutorial has no split; report 004
     * reports validation accuracy, so some split like this is implied.)
     */
    public TrainValidation<NamesData> split(double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        Random r = new Random(seed);
        Map<String, List<String>> train = new LinkedHashMap<>();
        Map<String, List<String>> val = new LinkedHashMap<>();
        for (String l : languages) {
            List<String> names = new ArrayList<>(namesByLanguage.get(l));
            Collections.shuffle(names, r);
            int nVal = (int) Math.round(validationFraction * names.size());
            train.put(l, names.subList(0, names.size() - nVal));
            val.put(l, names.subList(names.size() - nVal, names.size()));
        }
        return new TrainValidation<>(new NamesData(languages, train), new NamesData(languages, val));
    }

    @Override
    public String toString() {
        return "NamesData[" + languages.size() + " languages, " + size() + " names]";
    }
}
