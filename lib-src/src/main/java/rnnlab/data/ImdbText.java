package rnnlab.data;

/**
 * The raw IMDB reviews of {@code aclImdb}: 25,000 train and 25,000 test texts with 0/1 labels
 * (positives first, then negatives, each in file-name order; shuffle as the report does).
 * What report 001 experiment 2 reads from the extracted folders before building its vocabulary;
 * mirrors {@code torchtext.datasets.IMDB} minus the iterator.
 *
 * @param train training reviews
 * @param test  test reviews
 */
public record ImdbText(LabeledTexts train, LabeledTexts test) {
}
