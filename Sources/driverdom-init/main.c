// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// driverdom-init: PID 1 of a driverdom domain. C `main` only hands argc/argv
// (which Embedded Swift cannot read) to the Swift entry point in DomDInit.
extern int driverdom_init_main(int argc, char **argv);

int main(int argc, char **argv) { return driverdom_init_main(argc, argv); }
