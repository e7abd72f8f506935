package org.antidote.tokenize;

import java.text.Normalizer;

/**
 * The Unicode normalisation a tokenizer.json may ask for before pre-tokenising (GPT-NeoX asks for
 * NFC). Ours ask for none, so that decoding gives back exactly the text that was encoded.
 */
enum Normalization {
  NONE(null),
  NFC(Normalizer.Form.NFC),
  NFD(Normalizer.Form.NFD),
  NFKC(Normalizer.Form.NFKC),
  NFKD(Normalizer.Form.NFKD);

  private final Normalizer.Form form;

  Normalization(Normalizer.Form form) {
    this.form = form;
  }

  String apply(String text) {
    return form == null ? text : Normalizer.normalize(text, form);
  }
}
