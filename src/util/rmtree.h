/* Recursive removal of a directory tree we created. */
#ifndef NS_UTIL_RMTREE_H
#define NS_UTIL_RMTREE_H

/* Removes path (a file, or a directory and everything in it; symbolic links
 * are removed, never followed).  0 when nothing is left, -1 otherwise;
 * a path that does not exist is success. */
int ns_rmtree(const char *path);

#endif
