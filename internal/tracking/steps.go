package tracking

import (
	"errors"
	"math"
)

// A Decoder decodes one tracking response a part at a time, so that a
// large reply (20 avails of 1,000 events: 2 MB) need not hold its caller,
// the page's main thread, for all of it at once. It reads the response as
// Decode does, which is a Decoder run in one step.
//
// A step ends at the first boundary of an avail, an ad or a tracking event
// past its budget, however deep in the response that is: one avail of
// 20,000 events is as many steps as 20 avails of 1,000. To stop and resume
// inside the recursive descent, a decode of more than one step runs on a
// goroutine of its own, which Step wakes and which parks at the boundary;
// the two never run at once. Close ends a decode that will not be stepped
// to its end.
type Decoder struct {
	s     decoder
	r     *Response
	state uint8
	list  *[]Avail // the list being read in stateList
	n     int      // the index of its next avail
	size  int      // of the input
	err   error

	wake   chan struct{} // the next step may run; closed by Close
	parked chan struct{} // the step ended (buffered: Close does not wait)
	ended  bool          // the decode returned: done or err is final
}

// errClosed ends a parked decode whose Decoder was closed.
var errClosed = errors.New("tracking: decoder closed")

// Decoder states: where run is in the response.
const (
	stateBegin  = iota
	stateKey    // before a member of the response
	stateList   // inside an avails list, before element n
	stateMember // after a member's value
	stateDone
)

// NewDecoder returns a Decoder of data, which it keeps until the last
// Step: the caller must not change it before then.
func NewDecoder(data []byte) *Decoder {
	d := &Decoder{r: new(Response), size: len(data)}
	d.s.MaxDepth = maxDepth
	d.s.Reset(data)
	return d
}

// Step decodes until it has read budget more bytes of input (at least one
// avail, ad or tracking event) or the end, and reports whether the response
// is complete. An error is final: every later Step returns it again.
func (d *Decoder) Step(budget int) (done bool, err error) {
	if d.ended {
		return d.err == nil, d.err
	}
	s := &d.s
	s.limit = s.Offset() + budget
	if s.limit < s.Offset() || budget == math.MaxInt {
		s.limit = math.MaxInt
	}
	switch {
	case d.wake != nil:
		d.wake <- struct{}{}
	case s.limit >= d.size:
		// All of it in this step (Decode): no goroutine.
		return d.run()
	default:
		d.wake, d.parked = make(chan struct{}), make(chan struct{}, 1)
		s.park = d.park
		go d.main()
	}
	<-d.parked
	if d.ended {
		return d.err == nil, d.err
	}
	return false, nil
}

// Close ends the decode if it is parked between steps, so that its
// goroutine exits; Step must not be called after. Closing a Decoder that
// ended, or was never stepped, does nothing.
func (d *Decoder) Close() {
	if d.wake != nil && !d.ended {
		close(d.wake)
		d.wake = nil
	}
}

// main is the goroutine of a decode of several steps.
func (d *Decoder) main() {
	defer func() {
		// A bug in the decoder must reach the caller as an error, not end
		// the program: under wasm that would end every session on the page.
		if r := recover(); r != nil {
			d.err, d.ended = errors.New("tracking: decoder panic"), true
		}
		d.parked <- struct{}{}
	}()
	d.run()
}

// park ends a step and waits for the next.
func (d *Decoder) park() error {
	d.parked <- struct{}{}
	if _, ok := <-d.wake; !ok {
		return errClosed
	}
	return nil
}

// run decodes to the end or the first error; the decoder parks in
// between, at checkpoints.
func (d *Decoder) run() (done bool, err error) {
	s := &d.s
	defer func() { d.ended = true }()
	for d.err == nil {
		more := false
		switch d.state {
		case stateBegin:
			if s.Peek() != '{' {
				err = s.Expected("object")
				break
			}
			more, err = s.Open('{')
			d.state = stateKey
		case stateKey:
			var key []byte
			if key, err = s.Key(); err != nil {
				break
			}
			d.state = stateMember
			switch string(key) {
			case "avails", "nonLinearAvails":
				d.list = &d.r.Avails
				if key[0] == 'n' {
					d.list = &d.r.NonLinearAvails
				}
				// A repeated key starts its list over, as it always did.
				*d.list, d.n = (*d.list)[:0], 0
				if more, err = s.Open('['); more {
					d.state = stateList
				}
			default:
				err = s.member(d.r, key)
			}
			more = true
		case stateList:
			if err = s.checkpoint(); err != nil {
				break
			}
			s.Elem(d.n)
			*d.list = append(*d.list, Avail{})
			if err = s.avail(&(*d.list)[d.n]); err != nil {
				break
			}
			d.n++
			if more, err = s.Next(']'); !more {
				d.state = stateMember
			}
			more = true
		case stateMember:
			more, err = s.Next('}')
			d.state = stateKey
		case stateDone:
			if err = s.End(); err == nil {
				return true, nil
			}
		}
		if err != nil {
			d.err = asError(err)
		} else if !more {
			d.state = stateDone
		}
	}
	return false, d.err
}

// Response returns the decoded response once Step reported it complete.
func (d *Decoder) Response() *Response {
	if d.state != stateDone || d.err != nil {
		return nil
	}
	return d.r
}

// member decodes one member of the response other than its avails lists.
func (s *decoder) member(r *Response, key []byte) error {
	var err error
	switch string(key) {
	case "nextToken":
		r.NextToken, err = s.Str()
	case "dashAvailabilityStartTime":
		r.DashAvailabilityStartTime, err = s.Str()
	case "hlsAnchorMediaSequenceNumber":
		r.HLSAnchorMediaSequence, r.HasHLSAnchor, err = s.integer()
	default:
		err = s.Skip()
	}
	return err
}
