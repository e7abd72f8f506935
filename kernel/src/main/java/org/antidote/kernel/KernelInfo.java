package org.antidote.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import java.util.List;
import org.antidote.io.Versions;

/**
 * The kernel_info reply as messaging protocol 5.3 has it. The base kernel's reply lacks the
 * {@code status} field that clients (and the conformance suite) check, so this one replaces it.
 */
final class KernelInfo extends KernelInfoReply {

  /** Protocol version spoken. */
  static final String PROTOCOL = "5.3";

  @SuppressWarnings("unused") // serialised by the base kernel's Gson
  private final String status = "ok";

  private KernelInfo(AntidoteKernel kernel) {
    super(PROTOCOL, "antidote", Versions.toolkit(), kernel.getLanguageInfo(), kernel.getBanner(), List.of());
  }

  /** Answers kernel_info_request on {@code connection} with this reply. */
  static void install(JupyterConnection connection, AntidoteKernel kernel) {
    connection.setHandler(KernelInfoReply.REQUEST_MESSAGE_TYPE, (env, msg) -> {
      env.setBusyDeferIdle();
      env.reply(new KernelInfo(kernel));
    });
  }
}
