package rnnlab.data;

/**
 * One (language, name) pair, as the char-RNN tutorial's {@code randomTrainingExample()} returns
 * it (category, line; the tensors are built with {@link Names#lineToTensor(String)}).
 *
 * @param language      the language (category) name, e.g. {@code Scottish}
 * @param languageIndex its index in {@link NamesData#languages()}
 * @param name          the ASCII-folded surname
 */
public record NameExample(String language, int languageIndex, String name) {
}
