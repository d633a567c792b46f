// SPDX-License-Identifier: GPL-2.0-only OR MIT
// Saves the command-line arguments for Embedded Swift executables, which cannot
// use CommandLine: glibc calls .init_array functions with (argc, argv, envp).
#include "cxen.h"

static int saved_argc;
static char **saved_argv;

static void cxen_save_args(int argc, char **argv, char **envp) {
    (void)envp;
    saved_argc = argc;
    saved_argv = argv;
}

__attribute__((section(".init_array"), used))
static void (*cxen_save_args_entry)(int, char **, char **) = cxen_save_args;

int cxen_argc(void) { return saved_argc; }

const char *cxen_argv(int index) {
    return (index >= 0 && index < saved_argc) ? saved_argv[index] : NULL;
}
