package db

import "math"

// Offset is the OFFSET of page (1-based) of per rows. A page number from a URL can be
// anything: (page-1)*per overflows an int32 long before an int, and PostgreSQL refuses a
// negative OFFSET ("OFFSET must not be negative", a 500). Page numbers below 1 read the
// first page; past the largest OFFSET the statements take, the answer is simply empty.
func Offset(page, per int) int32 {
	if page < 1 || per < 1 {
		return 0
	}
	off := (int64(page) - 1) * int64(per)
	if off > math.MaxInt32 || off < 0 {
		return math.MaxInt32
	}
	return int32(off)
}
