package org.antidote.kernel;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Makes cells stoppable without {@code Thread.stop} (gone since JDK 20). Cells run in this JVM
 * through {@code DirectExecutionControl}, which gets none of JShell's own stop checks, so every
 * class a cell defines is rewritten as it is loaded: each backward branch (every loop) and each
 * method entry (every recursion) first calls {@link #poll()}, which throws {@link Interrupted} once
 * the user has asked to stop. A cell in a tight loop that never checks any flag therefore stops at
 * its next iteration; the cost is one volatile read per iteration.
 */
public final class CellStop {

  private static final String OWNER = CellStop.class.getName().replace('.', '/');

  private static volatile boolean requested;

  private CellStop() {}

  /** Called by instrumented cell code: throws once a stop was requested. */
  public static void poll() {
    if (requested) {
      throw new Interrupted();
    }
  }

  /** Asks the running cell to stop at its next loop iteration or call. */
  static void request() {
    requested = true;
  }

  /** Forgets a request (a new cell starts, or the stopped one has ended). */
  static void clear() {
    requested = false;
  }

  /**
   * Thrown into a cell that was interrupted. An Error, so a cell's own {@code catch (Exception e)}
   * does not swallow it; and should a cell catch it anyway, the next iteration throws it again.
   */
  public static final class Interrupted extends Error {
    Interrupted() {
      super("the cell was interrupted");
    }
  }

  /**
   * A cell class's bytecode with a {@link #poll()} before each backward branch and at each method
   * entry.
   */
  static byte[] instrument(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            boolean skip =
                (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
                    || name.equals("<clinit>");
            return mv == null || skip ? mv : new Polling(mv, !name.equals("<init>"));
          }
        },
        0);
    return writer.toByteArray();
  }

  /** Inserts the polls into one method. Adds no stack slots and no frames: a static call of ()V. */
  private static final class Polling extends MethodVisitor {
    private final Set<Label> seen = new HashSet<>();
    private final boolean atEntry;

    Polling(MethodVisitor mv, boolean atEntry) {
      super(Opcodes.ASM9, mv);
      this.atEntry = atEntry;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      if (atEntry) {
        poll();
      }
    }

    @Override
    public void visitLabel(Label label) {
      seen.add(label);
      super.visitLabel(label);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      if (seen.contains(label)) {
        poll();
      }
      super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
      if (backward(dflt, labels)) {
        poll();
      }
      super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
      if (backward(dflt, labels)) {
        poll();
      }
      super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    private boolean backward(Label dflt, Label[] labels) {
      if (seen.contains(dflt)) {
        return true;
      }
      for (Label l : labels) {
        if (seen.contains(l)) {
          return true;
        }
      }
      return false;
    }

    private void poll() {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, OWNER, "poll", "()V", false);
    }
  }
}
