package org.antidote.kernel;

import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager;
import io.github.spencerpark.jupyter.messages.ContentType;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.reply.HistoryReply;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import io.github.spencerpark.jupyter.messages.request.HistoryRequest;
import java.lang.reflect.Constructor;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.antidote.io.Versions;

/**
 * The kernel_info reply as messaging protocol 5.3 has it, saying exactly what the kernel does: no
 * debugger, no optional features. The base kernel's reply lacks the {@code status} field that
 * clients (and the conformance suite) check, so this one replaces it. A {@code debug_request}
 * (which the base kernel does not know, and would leave unanswered) is refused with a Debug Adapter
 * Protocol response that says so.
 */
final class KernelInfo extends KernelInfoReply {

  /** Protocol version spoken. */
  static final String PROTOCOL = "5.3";

  @SuppressWarnings("unused") // serialised by the base kernel's Gson
  private final String status = "ok";

  @SuppressWarnings("unused")
  private final boolean debugger = false;

  @SuppressWarnings("unused")
  @SerializedName("supported_features")
  private final List<String> supportedFeatures = List.of();

  private KernelInfo(AntidoteKernel kernel) {
    super(
        PROTOCOL,
        "antidote",
        Versions.toolkit(),
        kernel.getLanguageInfo(),
        kernel.getBanner(),
        List.of());
  }

  /**
   * Answers kernel_info_request and history_request, and refuses debug_request, on {@code
   * connection}. JupyterLab takes the kernel for idle only from the status messages around the
   * history_request it sends when a notebook opens; the base kernel's own answer writes each entry
   * as an object where the protocol has a {@code [session, line, input]} list.
   */
  static void install(JupyterConnection connection, AntidoteKernel kernel) {
    connection.setHandler(
        HistoryReply.REQUEST_MESSAGE_TYPE,
        (env, msg) -> {
          env.setBusyDeferIdle();
          HistoryRequest r = msg.getContent();
          HistoryManager h = kernel.getHistoryManager();
          Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
          List<HistoryEntry> found =
              switch (r.getAccessType()) {
                case TAIL -> h.lookupTail(((HistoryRequest.Tail) r).getMaxReturnLength(), flags);
                case RANGE ->
                    h.lookupRange(
                        0,
                        ((HistoryRequest.Range) r).getStart(),
                        ((HistoryRequest.Range) r).getStop(),
                        flags);
                case SEARCH ->
                    h.search(
                        ((HistoryRequest.Search) r).getPattern(),
                        ((HistoryRequest.Search) r).getMaxReturnLength(),
                        flags);
              };
          env.reply(
              new History(
                  found.stream()
                      .map(e -> List.<Object>of(e.getSession(), e.getCellNumber(), e.getInput()))
                      .toList()));
        });
    connection.setHandler(
        KernelInfoReply.REQUEST_MESSAGE_TYPE,
        (env, msg) -> {
          env.setBusyDeferIdle();
          env.reply(new KernelInfo(kernel));
        });
    connection.setHandler(
        DEBUG_REQUEST,
        (env, msg) -> {
          env.setBusyDeferIdle();
          JsonObject request = msg.getContent();
          env.reply(
              new DebugReply(
                  request.has("seq") ? request.get("seq").getAsInt() : 0,
                  request.has("command") ? request.get("command").getAsString() : ""));
        });
  }

  /** history_reply content: {@code [session, line, input]} per entry. */
  static final class History implements ContentType<History> {
    @SuppressWarnings("unused")
    private final String status = "ok";

    @SuppressWarnings("unused")
    private final List<List<Object>> history;

    History(List<List<Object>> history) {
      this.history = history;
    }

    @Override
    public MessageType<History> getType() {
      return HISTORY_REPLY;
    }
  }

  @SuppressWarnings({
    "unchecked",
    "rawtypes"
  }) // the base kernel types its history reply as its own class
  static final MessageType<History> HISTORY_REPLY = (MessageType) HistoryReply.MESSAGE_TYPE;

  static final MessageType<JsonObject> DEBUG_REQUEST =
      messageType("debug_request", JsonObject.class);
  static final MessageType<DebugReply> DEBUG_REPLY = messageType("debug_reply", DebugReply.class);

  /** The Debug Adapter Protocol's answer to a request it cannot serve. */
  static final class DebugReply implements ContentType<DebugReply> {
    @SuppressWarnings("unused")
    private final String type = "response";

    @SuppressWarnings("unused")
    @SerializedName("request_seq")
    private final int requestSeq;

    @SuppressWarnings("unused")
    private final boolean success = false;

    @SuppressWarnings("unused")
    private final String command;

    @SuppressWarnings("unused")
    private final String message = "the Antidote kernel has no debugger";

    DebugReply(int requestSeq, String command) {
      this.requestSeq = requestSeq;
      this.command = command;
    }

    @Override
    public MessageType<DebugReply> getType() {
      return DEBUG_REPLY;
    }
  }

  /**
   * A message type the base kernel (messaging protocol 5.0) does not define. Its constructor is
   * private but registers the name, which is what lets the kernel read and answer the message.
   */
  @SuppressWarnings("unchecked")
  private static <T> MessageType<T> messageType(String name, Class<T> content) {
    MessageType<?> known = MessageType.getType(name);
    if (known != MessageType.UNKNOWN) {
      return (MessageType<T>) known;
    }
    try {
      Constructor<MessageType> c =
          MessageType.class.getDeclaredConstructor(String.class, Class.class);
      c.setAccessible(true);
      return c.newInstance(name, content);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the base kernel no longer lets " + name + " be registered", e);
    }
  }
}
