/**
 * Byte-level BPE, GPT-2 style: training a tokenizer on a stream of texts ({@link
 * org.antidote.tokenize.BpeTokenizer#train}), encoding and decoding with it, and reading and
 * writing Hugging Face {@code tokenizer.json} files, so that a tokenizer trained here loads in
 * Hugging Face tools and gives the same ids, and GPT-2-family tokenizers load here.
 *
 * <p>{@link org.antidote.tokenize.BpeTokenizer} is the one entry point; {@link
 * org.antidote.tokenize.BpeTrainerConfig} says how to train. Everything else is package-private.
 *
 * <p>Uses: corpus, io.
 *
 * <p>Used by: bench, cli, eval, iti, lens, mix, model, probe, study, toy, train.
 */
package org.antidote.tokenize;
