package org.antidote.tokenize;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the added tokens that are not special in a text, leftmost first and longest first at a
 * position, as Hugging Face does before pre-tokenising. Only loaded files have such tokens
 * (GPT-NeoX's runs of spaces, OLMo 2's PII placeholders); tokenizers we train have none.
 */
final class AddedTokenMatcher {

  private final BitSet firstChars = new BitSet(Character.MAX_VALUE + 1);

  /** By first character: the tokens that start with it, longest first. */
  private final Map<Character, List<AddedToken>> byFirstChar = new HashMap<>();

  /** A matcher for the tokens of {@code added} that are not special, or null if there are none. */
  static AddedTokenMatcher of(List<AddedToken> added) {
    List<AddedToken> ordinary = added.stream().filter(t -> !t.special()).toList();
    return ordinary.isEmpty() ? null : new AddedTokenMatcher(ordinary);
  }

  private AddedTokenMatcher(List<AddedToken> tokens) {
    for (AddedToken token : tokens) {
      char first = token.content().charAt(0);
      firstChars.set(first);
      byFirstChar.computeIfAbsent(first, c -> new ArrayList<>()).add(token);
    }
    byFirstChar
        .values()
        .forEach(
            list ->
                list.sort(
                    Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed()));
  }

  /** The longest token that starts at {@code text[at]}, or null. */
  AddedToken longestAt(String text, int at) {
    char c = text.charAt(at);
    if (!firstChars.get(c)) {
      return null;
    }
    for (AddedToken token : byFirstChar.get(c)) {
      if (text.startsWith(token.content(), at)) {
        return token;
      }
    }
    return null;
  }
}
