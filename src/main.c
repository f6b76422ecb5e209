/* main.c - the mrspc executable: hands the command line to cli.c. */
#include "cli.h"

int main(int argc, char **argv) {
  return cli_main(argc, argv);
}
