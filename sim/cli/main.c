/* fuelsim entry point: everything happens in the command-line front. Built
 * with FUELSIM_MPI (make MPI=1), MPI is set up around it for the sweep. */
#include "cli.h"

#ifdef FUELSIM_MPI
#include <mpi.h>
#endif

int main(int argc, char **argv)
{
#ifdef FUELSIM_MPI
    /* SERIALIZED: the sweep's commit section calls MPI from whichever
     * OpenMP thread holds it, one at a time. */
    int provided;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
    int rc = cli_main(argc, argv);
    MPI_Finalize();
    return rc;
#else
    return cli_main(argc, argv);
#endif
}
