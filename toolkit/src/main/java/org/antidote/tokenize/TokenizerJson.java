package org.antidote.tokenize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.PatternSyntaxException;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;

/**
 * Reads and writes Hugging Face {@code tokenizer.json} files. We write one fixed layout (GPT-2's:
 * ByteLevel pre-tokenizer and decoder, a BPE model, specials as added tokens); we read that and the
 * byte-level BPE variants in the wild, and reject the rest with a message that says what the file
 * has.
 */
final class TokenizerJson {

  /** Ids beyond this are taken for a corrupt file rather than allocated for. */
  private static final int MAX_ID = 1 << 24;

  /**
   * One token or merge per line like Hugging Face's own files, and "\n" on every platform: the
   * bytes must not depend on the machine, because {@link BpeTokenizer#id()} hashes them.
   */
  private static final ObjectWriter WRITER =
      Json.MAPPER.writer(
          new DefaultPrettyPrinter(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  private TokenizerJson() {}

  // ---------------------------------------------------------------- writing

  static byte[] toBytes(BpeTokenizer tokenizer) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (AddedToken token : tokenizer.addedTokens()) {
      added
          .addObject()
          .put("id", token.id())
          .put("content", token.content())
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", token.normalized())
          .put("special", token.special());
    }
    if (tokenizer.normalization() == Normalization.NONE) {
      root.putNull("normalizer");
    } else {
      root.putObject("normalizer").put("type", tokenizer.normalization().name());
    }
    root.set("pre_tokenizer", preTokenizerJson(tokenizer.preTokenizer()));
    root.putNull("post_processor");
    root.set("decoder", byteLevel(true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", tokenizer.ignoreMerges());
    ObjectNode vocab = model.putObject("vocab");
    String[] tokens = tokenizer.modelVocab();
    for (int id = 0; id < tokens.length; id++) {
      if (tokens[id] != null) {
        vocab.put(tokens[id], id);
      }
    }
    int[] left = tokenizer.mergeLeft();
    int[] right = tokenizer.mergeRight();
    // "a b" strings are what every version of the tokenizers library reads, but they cannot hold
    // a token with a space; byte-level tokens never have one, so pairs are only for odd files.
    boolean asPairs = false;
    for (int i = 0; i < left.length && !asPairs; i++) {
      asPairs = tokens[left[i]].contains(" ") || tokens[right[i]].contains(" ");
    }
    ArrayNode merges = model.putArray("merges");
    for (int i = 0; i < left.length; i++) {
      if (asPairs) {
        merges.addArray().add(tokens[left[i]]).add(tokens[right[i]]);
      } else {
        merges.add(tokens[left[i]] + " " + tokens[right[i]]);
      }
    }
    try {
      byte[] json = WRITER.writeValueAsBytes(root);
      byte[] withNewline = Arrays.copyOf(json, json.length + 1);
      withNewline[json.length] = '\n';
      return withNewline;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise a tokenizer", e);
    }
  }

  private static JsonNode preTokenizerJson(PreTokenizer preTokenizer) {
    if (preTokenizer instanceof RegexPreTokenizer regex) {
      ObjectNode sequence = Json.MAPPER.createObjectNode().put("type", "Sequence");
      ArrayNode steps = sequence.putArray("pretokenizers");
      ObjectNode split = steps.addObject().put("type", "Split");
      split.putObject("pattern").put("Regex", regex.regex());
      split
          .put("behavior", regex.keepsGaps() ? "Isolated" : "Removed")
          .put("invert", !regex.keepsGaps());
      steps.add(byteLevel(false));
      return sequence;
    }
    return byteLevel(true);
  }

  private static ObjectNode byteLevel(boolean useRegex) {
    return Json.MAPPER
        .createObjectNode()
        .put("type", "ByteLevel")
        .put("add_prefix_space", false)
        .put("trim_offsets", true)
        .put("use_regex", useRegex);
  }

  // ---------------------------------------------------------------- reading

  static BpeTokenizer read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot load tokenizer " + file + ": no such file", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load tokenizer " + file + ": " + e, e);
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      String why =
          e instanceof JsonProcessingException jpe
              ? jpe.getOriginalMessage() + where(jpe)
              : e.toString();
      throw new BadInputException("cannot load tokenizer " + file + ": not valid JSON: " + why, e);
    }
    return new Reader(file).tokenizer(root);
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  /** One file being read; knows its name so that every error can say which file is wrong. */
  private static final class Reader {
    private final Path file;

    Reader(Path file) {
      this.file = file;
    }

    BpeTokenizer tokenizer(JsonNode root) {
      if (root == null || !root.isObject()) {
        throw fail("expected a JSON object with a \"model\", found " + describe(root));
      }
      JsonNode model = root.get("model");
      if (model == null || !model.isObject()) {
        throw fail("no \"model\" object; is this a Hugging Face tokenizer.json?");
      }
      checkModel(model);
      PreTokenizer preTokenizer = preTokenizer(root.get("pre_tokenizer"));
      Normalization normalization = normalization(root.get("normalizer"));
      String[] vocab = vocab(model.get("vocab"));
      List<AddedToken> added = addedTokens(root.get("added_tokens"));
      Map<String, Integer> ids = new HashMap<>();
      for (int id = 0; id < vocab.length; id++) {
        if (vocab[id] != null) {
          ids.put(vocab[id], id);
        }
      }
      int[][] merges = merges(model.get("merges"), ids);
      try {
        return new BpeTokenizer(
            vocab,
            merges[0],
            merges[1],
            added,
            normalization,
            preTokenizer,
            model.path("ignore_merges").asBoolean(false));
      } catch (BadInputException e) {
        throw fail(e.getMessage());
      }
    }

    private void checkModel(JsonNode model) {
      JsonNode type = model.get("type");
      if (type != null && !"BPE".equals(type.asText())) {
        throw fail("model type is " + type + "; only byte-level BPE (\"BPE\") is supported");
      }
      if (type == null && !model.has("merges")) {
        throw fail("the model has no \"type\" and no \"merges\"; only byte-level BPE is supported");
      }
      JsonNode dropout = model.get("dropout");
      if (dropout != null && !dropout.isNull() && dropout.asDouble() > 0) {
        throw fail("BPE dropout " + dropout + " is not supported (it makes encoding random)");
      }
      for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
        JsonNode value = model.get(affix);
        if (value != null && !value.isNull() && !value.asText().isEmpty()) {
          throw fail(affix + " " + value + " is not supported: byte-level BPE has none");
        }
      }
    }

    private PreTokenizer preTokenizer(JsonNode node) {
      if (node == null || node.isNull()) {
        throw fail("no pre_tokenizer; byte-level BPE needs a ByteLevel one");
      }
      String type = node.path("type").asText("");
      if (type.equals("ByteLevel")) {
        checkByteLevel(node, true);
        return Gpt2PreTokenizer.INSTANCE;
      }
      if (type.equals("Sequence")) {
        JsonNode steps = node.path("pretokenizers");
        if (steps.size() == 1 && "ByteLevel".equals(steps.get(0).path("type").asText())) {
          checkByteLevel(steps.get(0), true);
          return Gpt2PreTokenizer.INSTANCE;
        }
        if (steps.size() == 2
            && "Split".equals(steps.get(0).path("type").asText())
            && "ByteLevel".equals(steps.get(1).path("type").asText())) {
          checkByteLevel(steps.get(1), false);
          return split(steps.get(0));
        }
      }
      throw fail(
          "pre_tokenizer "
              + abbreviate(node)
              + " is not supported; expected ByteLevel"
              + " (GPT-2 style) or Sequence[Split(regex), ByteLevel(use_regex=false)]");
    }

    private void checkByteLevel(JsonNode node, boolean useRegex) {
      if (node.path("add_prefix_space").asBoolean(false)) {
        throw fail("ByteLevel add_prefix_space=true is not supported (ours and GPT-2's are false)");
      }
      if (node.path("use_regex").asBoolean(true) != useRegex) {
        throw fail(
            "ByteLevel use_regex="
                + !useRegex
                + " is not supported here: expected "
                + useRegex
                + (useRegex ? " (GPT-2's regex splits words)" : " after a Split"));
      }
    }

    private PreTokenizer split(JsonNode node) {
      String regex = node.path("pattern").path("Regex").asText(null);
      String behavior = node.path("behavior").asText();
      boolean invert = node.path("invert").asBoolean(false);
      boolean isolated = behavior.equals("Isolated") && !invert;
      boolean removedInverted = behavior.equals("Removed") && invert;
      if (regex == null || !(isolated || removedInverted)) {
        throw fail(
            "Split pre-tokenizer "
                + abbreviate(node)
                + " is not supported; expected a"
                + " Regex pattern with behavior Isolated (invert false) or Removed (invert true)");
      }
      if (regex.equals(Gpt2PreTokenizer.REGEX)) {
        return Gpt2PreTokenizer.INSTANCE; // it matches every character, so gaps never arise
      }
      try {
        return new RegexPreTokenizer(regex, isolated);
      } catch (PatternSyntaxException e) {
        throw fail("the Split regex does not compile in Java: " + e.getMessage());
      }
    }

    private Normalization normalization(JsonNode node) {
      if (node == null || node.isNull()) {
        return Normalization.NONE;
      }
      String type = node.path("type").asText("");
      if (type.equals("Sequence") && node.path("normalizers").isEmpty()) {
        return Normalization.NONE;
      }
      if (type.equals("Sequence") && node.path("normalizers").size() == 1) {
        return normalization(node.path("normalizers").get(0));
      }
      for (Normalization form : Normalization.values()) {
        if (form != Normalization.NONE && form.name().equals(type)) {
          return form;
        }
      }
      throw fail(
          "normalizer "
              + abbreviate(node)
              + " is not supported (only none, NFC, NFD, NFKC"
              + " or NFKD)");
    }

    private String[] vocab(JsonNode node) {
      if (node == null || !node.isObject()) {
        throw fail("model.vocab must be an object of token -> id, found " + describe(node));
      }
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
      int maxId = -1;
      for (Map.Entry<String, JsonNode> entry : entries) {
        maxId =
            Math.max(maxId, idOf(entry.getValue(), "vocabulary token " + quote(entry.getKey())));
      }
      String[] vocab = new String[maxId + 1];
      for (Map.Entry<String, JsonNode> entry : entries) {
        int id = entry.getValue().intValue();
        if (vocab[id] != null) {
          throw fail(
              "id "
                  + id
                  + " is given to both "
                  + quote(vocab[id])
                  + " and "
                  + quote(entry.getKey()));
        }
        vocab[id] = entry.getKey();
      }
      return vocab;
    }

    private int idOf(JsonNode value, String what) {
      if (value == null
          || !value.canConvertToInt()
          || !value.isIntegralNumber()
          || value.intValue() < 0
          || value.intValue() > MAX_ID) {
        throw fail(what + " has id " + value + "; ids must be whole numbers from 0 to " + MAX_ID);
      }
      return value.intValue();
    }

    /** The merges as {left ids, right ids}. */
    private int[][] merges(JsonNode node, Map<String, Integer> ids) {
      if (node == null || !node.isArray()) {
        throw fail("model.merges must be a list, found " + describe(node));
      }
      int[] left = new int[node.size()];
      int[] right = new int[node.size()];
      for (int i = 0; i < node.size(); i++) {
        JsonNode merge = node.get(i);
        String a;
        String b;
        if (merge.isTextual()) {
          String[] parts = merge.asText().split(" ", -1);
          if (parts.length != 2) {
            throw fail("merge #" + i + " " + merge + " is not two tokens separated by one space");
          }
          a = parts[0];
          b = parts[1];
        } else if (merge.isArray()
            && merge.size() == 2
            && merge.get(0).isTextual()
            && merge.get(1).isTextual()) {
          a = merge.get(0).asText();
          b = merge.get(1).asText();
        } else {
          throw fail(
              "merge #" + i + " " + abbreviate(merge) + " is neither \"a b\" nor [\"a\", \"b\"]");
        }
        left[i] = mergeToken(ids, a, i);
        right[i] = mergeToken(ids, b, i);
      }
      return new int[][] {left, right};
    }

    private int mergeToken(Map<String, Integer> ids, String token, int merge) {
      Integer id = ids.get(token);
      if (id == null) {
        throw fail("merge #" + merge + " uses " + quote(token) + ", which is not in model.vocab");
      }
      return id;
    }

    private List<AddedToken> addedTokens(JsonNode node) {
      List<AddedToken> added = new ArrayList<>();
      if (node == null || node.isNull()) {
        return added;
      }
      if (!node.isArray()) {
        throw fail("added_tokens must be a list, found " + describe(node));
      }
      for (JsonNode token : node) {
        JsonNode content = token.get("content");
        if (content == null || !content.isTextual() || content.asText().isEmpty()) {
          throw fail("an added token has no \"content\": " + abbreviate(token));
        }
        int id = idOf(token.get("id"), "added token " + quote(content.asText()));
        boolean special = token.path("special").asBoolean(false);
        if (!special) {
          // Ordinary added tokens are matched in the text, as Hugging Face does, but only whole.
          for (String flag : List.of("single_word", "lstrip", "rstrip")) {
            if (token.path(flag).asBoolean(false)) {
              throw fail(
                  "added token "
                      + quote(content.asText())
                      + " has "
                      + flag
                      + "=true, which is not supported for tokens that are not special");
            }
          }
        }
        added.add(
            new AddedToken(
                id, content.asText(), special, token.path("normalized").asBoolean(!special)));
      }
      return added;
    }

    private BadInputException fail(String why) {
      return new BadInputException("cannot load tokenizer " + file + ": " + why);
    }
  }

  private static String describe(JsonNode node) {
    return node == null || node.isMissingNode()
        ? "nothing"
        : node.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + abbreviate(node);
  }

  private static String abbreviate(JsonNode node) {
    String text = String.valueOf(node);
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }

  private static String quote(String token) {
    return "\"" + token + "\"";
  }
}
