package org.antidote.tokenize;

/**
 * A token outside the merge rules; its id decodes to its literal content.
 *
 * <p>A special one, such as {@code <|endoftext|>}, is never produced by {@link
 * BpeTokenizer#encode}: callers append it. One that is not special (GPT-NeoX has some for runs of
 * spaces) is matched in the text before pre-tokenising, as Hugging Face does, so that ids agree.
 *
 * @param special whether tokenizer.json marks it special (all tokens we train are)
 * @param normalized the tokenizer.json flag of that name, kept so that files read back as written
 */
record AddedToken(int id, String content, boolean special, boolean normalized) {}
