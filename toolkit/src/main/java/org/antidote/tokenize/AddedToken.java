package org.antidote.tokenize;

/**
 * A token outside the merge rules, such as {@code <|endoftext|>}: its id decodes to its literal
 * content, and {@link BpeTokenizer#encode} never produces it.
 *
 * @param special whether tokenizer.json marks it special (all tokens we train are)
 */
record AddedToken(int id, String content, boolean special) {}
