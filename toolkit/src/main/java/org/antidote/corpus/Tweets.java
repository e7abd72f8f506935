package org.antidote.corpus;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twitter artefacts normalised the same way in every class, so that no class can be told apart by
 * them: the retweet marker {@code RT} is dropped, every {@code @handle} becomes {@code @user},
 * links are dropped, HTML entities ({@code &amp;}, {@code &#8220;}) are decoded, and whitespace is
 * collapsed.
 */
public final class Tweets {

  private static final Pattern RT = Pattern.compile("(^|\\s)RT(?=\\s|:|$):?");
  private static final Pattern MENTION = Pattern.compile("@[A-Za-z0-9_]+");
  private static final Pattern URL = Pattern.compile("(?i)\\bhttps?://\\S*");
  private static final Pattern ENTITY = Pattern.compile("&(#x?[0-9A-Fa-f]+|[a-z]+);");
  private static final Map<String, String> NAMED =
      Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", " ");

  private Tweets() {}

  /** The tweet with its artefacts normalised (possibly empty). */
  public static String normalise(String tweet) {
    String s =
        decodeEntities(decodeEntities(tweet)); // some tweets are escaped twice (&amp;#128514;)
    s = URL.matcher(s).replaceAll(" ");
    s = MENTION.matcher(s).replaceAll("@user");
    s = RT.matcher(s).replaceAll("$1");
    return s.replaceAll("\\s+", " ").strip();
  }

  private static String decodeEntities(String s) {
    Matcher m = ENTITY.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String rep;
      if (e.startsWith("#")) {
        try {
          int cp =
              e.startsWith("#x") || e.startsWith("#X")
                  ? Integer.parseInt(e.substring(2), 16)
                  : Integer.parseInt(e.substring(1));
          rep = Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : m.group();
        } catch (NumberFormatException ex) {
          rep = m.group();
        }
      } else {
        rep = NAMED.getOrDefault(e, m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(rep));
    }
    m.appendTail(out);
    return out.toString();
  }
}
