package outlet

import "syscall"

// freeSpace is how many bytes the folder's file system still has for an
// unprivileged writer.
func freeSpace(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}
