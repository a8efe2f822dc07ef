# Usage: DATA_DIR=... python3 probe.py 1..5|retail  (numpy; prints every blend, then the one validation chose)
import sys,time, itertools
from data import *; from models import *
ds=sys.argv[1]
train,test=(retail() if ds=='retail' else ml(int(ds)))
def setup(train):
    ui,ii=index(train); X=matrix(train,ui,ii); return ui,ii,X
def z(S,X):
    S=S.copy(); S[X>0]=np.nan
    m=np.nanmean(S,1,keepdims=True); s=np.nanstd(S,1,keepdims=True)+1e-12
    return np.nan_to_num((S-m)/s,nan=-1e9)
GR={'als':[dict(f=f,lam=l,alpha=a,iters=10,scaled=s) for f in (32,64) for (l,s) in ((10,False),(30,False),(100,False),(0.162,True),(0.486,True),(1.62,True)) for a in (1,3)],
    'ease':[dict(lam=l) for l in (100,200,500,1000,2000)],
    'uease':[dict(lam=l) for l in (100,300,1000,3000)]}
FN={'als':lambda X,p: als(X,**p),'ease':lambda X,p: ease(X,**p),'uease':lambda X,p: user_ease(X,**p)}
fit,held=valsplit(train)
vui,vii,VX=setup(fit)
tui,tii,TX=setup(train)
rel={}
trainset=set((u,i) for u,i,t in train)
for u,i in test:
    if (u,i) not in trainset: rel.setdefault(u,set()).add(i)
best={}
VS={};TS={}
for fam,grid in GR.items():
    res=[]
    for p in grid:
        S=FN[fam](VX,p); res.append((recall(S,VX,held,vui,vii),p,S))
    res.sort(key=lambda r:-r[0]); v,p,S=res[0]
    VS[fam]=z(S,VX); TS[fam]=z(FN[fam](TX,p),TX)
    print(fam,'val',round(v,4),p,'test',round(recall(TS[fam],TX,rel,tui,tii),4),flush=True)
fams=list(GR)
best=None
steps=[i/4 for i in range(5)]
for w in itertools.product(steps,repeat=len(fams)):
    if abs(sum(w)-1)>1e-9: continue
    v=recall(sum(wi*VS[f] for wi,f in zip(w,fams)),VX,held,vui,vii)
    t=recall(sum(wi*TS[f] for wi,f in zip(w,fams)),TX,rel,tui,tii)
    print('blend',w,round(v,4),round(t,4),flush=True)
    if best is None or v>best[0]: best=(v,w,t)
print('CHOSEN',best)
