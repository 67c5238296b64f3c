#ifndef WSC_CLIBEDIT_SHIM_H
#define WSC_CLIBEDIT_SHIM_H

#include <stdio.h>
#include <editline/readline.h>

#endif
